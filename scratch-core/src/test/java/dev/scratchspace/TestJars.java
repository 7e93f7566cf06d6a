package dev.scratchspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds real jars and class directories for tests, and loads classes from them. */
final class TestJars {

	static final String CLASS_NAME = "fixture.Probe";

	private TestJars() {
	}

	/** Compiles {@code fixture.Probe} into {@code dir}. */
	static Path compileProbe(Path dir) throws IOException {
		Path sources = Files.createDirectories(dir.resolve("src/fixture"));
		Path source = sources.resolve("Probe.java");
		Files.writeString(source, "package fixture; public class Probe { }");
		Files.createDirectories(dir);
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		int result = compiler.run(null, null, null, "-d", dir.toString(), source.toString());
		if (result != 0) {
			throw new IllegalStateException("compilation failed");
		}
		return dir.resolve("fixture/Probe.class");
	}

	static String pomProperties(String groupId, String artifactId, String version) {
		return "groupId=" + groupId + "\nartifactId=" + artifactId + "\nversion=" + version + "\n";
	}

	/** A jar holding the probe class and the given extra entries (name to content). */
	static Path jar(Path jar, Path probeClass, Map<String, byte[]> entries) throws IOException {
		Map<String, byte[]> all = new LinkedHashMap<>(entries);
		all.put("fixture/Probe.class", Files.readAllBytes(probeClass));
		Files.createDirectories(jar.getParent());
		try (OutputStream out = Files.newOutputStream(jar)) {
			out.write(jarBytes(all, false));
		}
		return jar;
	}

	static byte[] jarBytes(Map<String, byte[]> entries, boolean stored) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (JarOutputStream out = new JarOutputStream(bytes)) {
			for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
				JarEntry jarEntry = new JarEntry(entry.getKey());
				if (stored) {
					CRC32 crc = new CRC32();
					crc.update(entry.getValue());
					jarEntry.setMethod(ZipEntry.STORED);
					jarEntry.setSize(entry.getValue().length);
					jarEntry.setCompressedSize(entry.getValue().length);
					jarEntry.setCrc(crc.getValue());
				}
				out.putNextEntry(jarEntry);
				out.write(entry.getValue());
				out.closeEntry();
			}
		}
		return bytes.toByteArray();
	}

	static Map<String, byte[]> entry(String name, String content) {
		return Map.of(name, content.getBytes(StandardCharsets.UTF_8));
	}

	/** Loads the probe class from the given locations, never from the test class path. */
	static Class<?> load(List<Path> locations) throws Exception {
		URL[] urls = new URL[locations.size()];
		for (int i = 0; i < urls.length; i++) {
			urls[i] = locations.get(i).toUri().toURL();
		}
		@SuppressWarnings("resource") // the class must outlive this method
		URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
		return loader.loadClass(CLASS_NAME);
	}

}
