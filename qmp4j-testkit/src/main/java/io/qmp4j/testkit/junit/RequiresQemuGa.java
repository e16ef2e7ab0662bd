package io.qmp4j.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs a real {@code qemu-ga}
 * ({@link io.qmp4j.testkit.qga.QgaProcess}).
 *
 * <p>When {@link io.qmp4j.testkit.qga.QgaProcess#findBinary()} finds none, the test is disabled
 * with the reason "qemu-ga not found: install it with apt-get install qemu-guest-agent"; with
 * {@value RequiresQemuCondition#REQUIRE_PROPERTY}{@code =true} (as CI sets) it fails instead.
 */
@Documented
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresQemuGaCondition.class)
public @interface RequiresQemuGa {}
