package dev.ferry.tests.lab;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test method a fresh {@link Lab} parameter and closes it after the test, pass or fail.
 * Skips (assumption) with the reason when the machine cannot run a lab: not root, or OVS missing.
 *
 * <pre>{@code @ExtendWith(LabExtension.class) class MyTest { @Test void t(Lab lab) { ... } } }</pre>
 */
public final class LabExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LabExtension.class);

    /** Skips the calling test unless a lab can run here. */
    public static void assumeLabAvailable() {
        Lab.unavailableReason().ifPresent(reason -> Assumptions.abort("skipping OVS lab test: " + reason));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        assumeLabAvailable();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(STORE).getOrComputeIfAbsent("lab", k -> Lab.start(), Lab.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Lab lab = context.getStore(STORE).remove("lab", Lab.class);
        if (lab != null) {
            lab.close();
        }
    }
}
