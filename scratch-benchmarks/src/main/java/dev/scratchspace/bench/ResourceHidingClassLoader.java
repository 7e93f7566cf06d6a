package dev.scratchspace.bench;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Delegates everything to its parent, but hides the resources of one class-path entry. Spring
 * Boot finds auto-configurations, environment post-processors and their metadata as
 * resources ({@code META-INF/spring.factories}, {@code META-INF/spring/*.imports}), so hiding
 * a jar's resources starts an application as if that jar were absent; its classes stay
 * loadable, but nothing names them.
 */
final class ResourceHidingClassLoader extends ClassLoader {

	static {
		registerAsParallelCapable();
	}

	private final @Nullable String hiddenPrefix;

	/**
	 * @param parent where classes and resources come from
	 * @param hiddenPrefix the URL prefix of the class-path entry to hide, such as
	 * {@code jar:file:/…/x.jar!/}, or null to hide nothing
	 */
	ResourceHidingClassLoader(ClassLoader parent, @Nullable String hiddenPrefix) {
		super(parent);
		this.hiddenPrefix = hiddenPrefix;
	}

	/**
	 * The URL prefix of the class-path entry that holds a class.
	 * @param className the class
	 * @param classLoader where to look for it
	 * @return the prefix, or null when the class is absent
	 */
	static @Nullable String entryOf(String className, ClassLoader classLoader) {
		String resource = className.replace('.', '/') + ".class";
		URL url = classLoader.getResource(resource);
		if (url == null) {
			return null;
		}
		String text = url.toString();
		return text.substring(0, text.length() - resource.length());
	}

	@Override
	public @Nullable URL getResource(String name) {
		Enumeration<URL> urls;
		try {
			urls = getResources(name);
		}
		catch (IOException ex) {
			return null;
		}
		return urls.hasMoreElements() ? urls.nextElement() : null;
	}

	@Override
	public Enumeration<URL> getResources(String name) throws IOException {
		List<URL> urls = Collections.list(getParent().getResources(name));
		if (this.hiddenPrefix != null) {
			List<URL> visible = new ArrayList<>(urls.size());
			for (URL url : urls) {
				if (!url.toString().startsWith(this.hiddenPrefix)) {
					visible.add(url);
				}
			}
			urls = visible;
		}
		return Collections.enumeration(urls);
	}

}
