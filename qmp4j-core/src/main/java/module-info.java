/**
 * qmp4j core: a client for the QEMU Machine Protocol. Exports the connection API, the message
 * model, the framing function, the event API, the schema model and the guest agent client; everything under {@code io.qmp4j.internal}
 * is hidden.
 */
module io.qmp4j {
    requires transitive com.fasterxml.jackson.databind;
    requires io.netty.transport;
    requires io.netty.transport.unix.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.codec;
    requires io.netty.handler;
    requires static com.sun.jna;

    exports io.qmp4j;
    exports io.qmp4j.message;
    exports io.qmp4j.framing;
    exports io.qmp4j.event;
    exports io.qmp4j.qga;
    exports io.qmp4j.schema;
}
