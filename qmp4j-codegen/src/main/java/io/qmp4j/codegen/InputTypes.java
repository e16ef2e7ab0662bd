package io.qmp4j.codegen;

import io.qmp4j.schema.AlternateType;
import io.qmp4j.schema.ArrayType;
import io.qmp4j.schema.ObjectType;
import io.qmp4j.schema.QmpSchema;
import io.qmp4j.schema.SchemaCommand;
import io.qmp4j.schema.SchemaType;
import java.util.HashSet;
import java.util.Set;

/** The types reachable from command arguments: callers build these, so their records get builders. */
final class InputTypes {
    private final QmpSchema schema;
    private final Set<String> reached = new HashSet<>();

    InputTypes(QmpSchema schema) {
        this.schema = schema;
        for (SchemaCommand c : schema.commands()) {
            reach(c.argType());
        }
    }

    boolean contains(String typeName) {
        return reached.contains(typeName);
    }

    private void reach(String typeName) {
        if (!reached.add(typeName)) {
            return;
        }
        SchemaType t = schema.type(typeName).orElseThrow();
        if (t instanceof ObjectType o) {
            o.members().forEach(m -> reach(m.type()));
            o.variants().forEach(v -> reach(v.type()));
        } else if (t instanceof ArrayType a) {
            reach(a.elementType());
        } else if (t instanceof AlternateType a) {
            a.members().forEach(this::reach);
        }
    }
}
