package io.jemq;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module and package rules of docs/architecture.md, checked on the compiled classes: dependencies point one way,
 * the core imports no plugin and no management code, and a plugin sees nothing of the broker but {@code io.jemq.api}.
 */
class ArchitectureTest {
    /** Packages of the plugin modules (auth-plugins) and of the test kit's sample plugin. */
    static final String[] PLUGINS = {"io.jemq.auth..", "io.jemq.testkit.sample.."};
    /** Packages of the management module ($SYS, Prometheus, REST, dashboard). */
    static final String[] MANAGEMENT = {"io.jemq.mgmt..", "io.jemq.management.."};
    /** The built-in emq_auth_username and emq_auth_clientid: in the broker's jar, found like any other plugin. */
    static final String BUILT_IN_PLUGINS = "io.jemq.plugin.local..";
    static final String[] JDK = {"java..", "javax.."};

    /** The broker's and the api's main classes (what ships), without the tests. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jemq");

    /** Main and test classes: the test kit's sample plugin is a test class. */
    private static final JavaClasses WITH_TESTS = new ClassFileImporter().importPackages("io.jemq");

    @Test
    void noPackageCycles() {
        slices().matching("io.jemq.(*)..").namingSlices("$1").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theBrokerImportsNoPluginAndNoManagementClass() {
        ArchRule rule = noClasses().that().resideInAPackage("io.jemq..")
                .and().resideOutsideOfPackages(concat(PLUGINS, MANAGEMENT, BUILT_IN_PLUGINS))
                .should().dependOnClassesThat().resideInAnyPackage(concat(PLUGINS, MANAGEMENT, BUILT_IN_PLUGINS))
                .because("plugins and management are found at run time (ServiceLoader), never named by the core");
        rule.check(MAIN);
    }

    @Test
    void pluginsImportOnlyTheApiAndTheJdk() {
        for (String plugin : PLUGINS) {
            classes().that().resideInAPackage(plugin)
                    .should().onlyDependOnClassesThat().resideInAnyPackage(concat(JDK, "io.jemq.api..", plugin))
                    .because("a plugin built against io.jemq.api keeps working whatever the broker's insides become")
                    .allowEmptyShould(true)                 // the plugin modules and the sample come later
                    .check(WITH_TESTS);
        }
    }

    @Test
    void theBuiltInPluginsImportTheApiAndLittleElse() {
        classes().that().resideInAPackage(BUILT_IN_PLUGINS)
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(concat(JDK, "io.jemq.api..", BUILT_IN_PLUGINS, "io.jemq.util..", "org.slf4j.."))
                .because("they are plugins like the others, shipped in the broker's jar; io.jemq.util writes their "
                        + "store crash-safely and slf4j logs")
                .check(MAIN);
    }

    @Test
    void theApiDependsOnNothingOfTheBroker() {
        noClasses().that().resideInAPackage("io.jemq.api..")
                .should().dependOnClassesThat(
                        resideInAPackage("io.jemq..").and(resideOutsideOfPackage("io.jemq.api..")))
                .because("plugins compile against the api alone; its own libraries (bcrypt) are its business")
                .check(MAIN);
    }

    private static String[] concat(Object... parts) {
        return Arrays.stream(parts)
                .flatMap(p -> p instanceof String[] a ? Arrays.stream(a) : Stream.of(p))
                .map(String.class::cast).toArray(String[]::new);
    }
}
