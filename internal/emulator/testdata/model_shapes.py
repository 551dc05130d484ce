"""Prints, as JSON, the request and response shapes and the modelled errors
of the Personalize operations named on the command line, from the service
model botocore ships."""
import json
import sys

import botocore.session


def tree(shape, depth=0):
    out = {"type": shape.type_name}
    if depth > 8:
        return out
    if shape.type_name == "structure":
        out["members"] = {n: tree(m, depth + 1) for n, m in shape.members.items()}
        out["required"] = list(shape.required_members)
    elif shape.type_name == "list":
        out["member"] = tree(shape.member, depth + 1)
    elif shape.type_name == "map":
        out["value"] = tree(shape.value, depth + 1)
    elif shape.type_name == "string":
        if shape.enum:
            out["enum"] = list(shape.enum)
        if "max" in shape.metadata:
            out["max"] = shape.metadata["max"]
    return out


model = botocore.session.get_session().get_service_model("personalize")
ops = {}
for name in sys.argv[1:]:
    op = model.operation_model(name)
    ops[name] = {
        "input": tree(op.input_shape),
        "output": tree(op.output_shape) if op.output_shape else None,
        "errors": [e.name for e in op.error_shapes],
    }
json.dump(ops, sys.stdout)
