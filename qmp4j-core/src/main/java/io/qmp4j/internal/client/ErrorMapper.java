package io.qmp4j.internal.client;

import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpCommandNotFoundException;
import io.qmp4j.message.QmpError;

/** The one place that turns a QMP error reply into an exception (Lettuce's ExceptionFactory). */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    /** Any thread: the exception for {@code command} answered with {@code error}. */
    public static QmpCommandException toException(String command, QmpError error) {
        if ("CommandNotFound".equals(error.errorClass())) {
            return new QmpCommandNotFoundException(command, error.description());
        }
        return new QmpCommandException(command, error.errorClass(), error.description());
    }
}
