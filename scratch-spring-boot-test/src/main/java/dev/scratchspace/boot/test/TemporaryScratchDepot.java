package dev.scratchspace.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Gives the application context of the annotated test class a temporary depot of its own,
 * so that the test never writes to the user's real depot ({@code ~/.cache/jvm-scratch} or
 * wherever {@code scratch.depot} and {@code SCRATCH_DEPOT} point).
 *
 * <p>The depot is a fresh directory under {@code java.io.tmpdir} whose name starts with
 * {@code scratch-test-depot-}, readable and writable by its owner only. It becomes
 * {@code scratch.depot} with the highest precedence from the moment the environment is
 * prepared, so {@code $<scratch:…>} placeholders read by environment post-processors, the
 * logging system or conditions already resolve into it. It overrides {@code scratch.depot}
 * and {@code SCRATCH_DEPOT} from every other source (configuration files, the environment,
 * system properties, {@code @DynamicPropertySource}); a {@code scratch.depot} in the test's own
 * inlined properties ({@code @SpringBootTest(properties = …)},
 * {@code @TestPropertySource(properties = …)}) contradicts the annotation and fails the
 * context. Nothing else changes: access tracking and every other {@code scratch.*} property
 * keep the application's configuration, so the test exercises its real behaviour.
 *
 * <p>The depot is deleted, with everything in it, when the context closes (at the end of the
 * test run, or earlier with {@code @DirtiesContext}), and when the context fails to start.
 * Symbolic links in it are deleted, never followed; read-only files and directories are
 * deleted too.
 *
 * <p>The depot belongs to the context, not to the class: test classes with this annotation and
 * otherwise equal configurations share one cached context, and so one depot, as they share
 * every other bean. A test class without the annotation never gets a temporary depot, and
 * never shares a context with an annotated one. Tests reach the depot through the
 * {@link dev.scratchspace.ScratchSpaceManager} bean's {@code depot()}.
 *
 * <p>Works with {@code @SpringBootTest} and with any other test context that the Spring
 * TestContext Framework loads; is inherited by subclasses and {@code @Nested} classes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextCustomizerFactories(TemporaryScratchDepotContextCustomizerFactory.class)
public @interface TemporaryScratchDepot {

}
