package io.qmp4j.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs a real {@code qemu-system-x86_64}.
 *
 * <p>When {@link io.qmp4j.testkit.qemu.QemuBinary#find()} finds no binary, the test is disabled
 * with the reason "qemu-system-x86_64 not found: install it with apt-get install qemu-system-x86".
 * When the system property {@value RequiresQemuCondition#REQUIRE_PROPERTY} is {@code true} (CI sets
 * it), a missing binary fails the test instead, so a broken machine cannot hide a regression
 * behind skipped tests. Default: skip.
 */
@Documented
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresQemuCondition.class)
public @interface RequiresQemu {}
