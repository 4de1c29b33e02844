#!/usr/bin/env python3
"""Validates a Handoff FHIR export (a Bundle of Task and Provenance resources) independently of Handoff.

Each resource is parsed by the fhir.resources R4B models (Task and Provenance are unchanged from R4):
types, cardinalities and required elements. On top of the models, the checks R4 states that the models
leave out: the value sets of Task.status, Task.intent and Task.priority, the format of literal
references, lastModified not before authoredOn, and businessStatus carrying a Handoff state.

Usage: validate-fhir.py EXPORT.json   (exit 0 and a summary line when valid; 1 and the problems if not)
"""
import json
import re
import sys
from datetime import datetime

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.provenance import Provenance
from fhir.resources.R4B.task import Task

TASK_STATUS = {"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress",
               "on-hold", "failed", "completed", "entered-in-error"}
TASK_INTENT = {"unknown", "proposal", "plan", "order", "original-order", "reflex-order", "filler-order",
               "instance-order", "option"}
REQUEST_PRIORITY = {"routine", "urgent", "asap", "stat"}
HANDOFF_STATES = {"queued", "assigned", "in-progress", "pending", "review", "completed", "cancelled", "exception"}
LITERAL_REFERENCE = re.compile(r"^[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}$")


def references(value):
    """Every Reference.reference string anywhere in a resource."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def parse(model, data, where, problems):
    """Validates `data` against a fhir.resources model (pydantic v1 API, as fhir.resources 7.1 has it)."""
    try:
        model.parse_obj(data)
    except Exception as error:  # the models raise pydantic's ValidationError, or ValueError for a wrong type
        problems.append(f"{where}: not a valid R4B {model.__name__}: " + " ".join(str(error).split()))


def when(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def main(path):
    data = json.load(open(path, encoding="utf-8"))
    problems = []
    parse(Bundle, data, "Bundle", problems)
    if data.get("type") != "collection":
        problems.append(f"Bundle.type is {data.get('type')!r}, not 'collection'")
    counts = {"Task": 0, "Provenance": 0}
    for index, entry in enumerate(data.get("entry", [])):
        resource = entry["resource"]
        kind = resource.get("resourceType")
        where = f"entry {index} ({kind}/{resource.get('id')})"
        if kind == "Task":
            parse(Task, resource, where, problems)
            if resource.get("status") not in TASK_STATUS:
                problems.append(f"{where}: status {resource.get('status')!r} is not in the R4 TaskStatus value set")
            if resource.get("intent") not in TASK_INTENT:
                problems.append(f"{where}: intent {resource.get('intent')!r} is not in the R4 TaskIntent value set")
            if resource.get("priority") not in REQUEST_PRIORITY:
                problems.append(f"{where}: priority {resource.get('priority')!r} is not in the R4 RequestPriority value set")
            if "lastModified" in resource and "authoredOn" in resource and when(resource["lastModified"]) < when(resource["authoredOn"]):
                problems.append(f"{where}: lastModified is before authoredOn")
            codes = [c.get("code") for c in resource.get("businessStatus", {}).get("coding", [])
                     if c.get("system") == "urn:handoff:task-state"]
            if len(codes) != 1 or codes[0] not in HANDOFF_STATES:
                problems.append(f"{where}: businessStatus does not carry exactly one Handoff state: {codes}")
        elif kind == "Provenance":
            parse(Provenance, resource, where, problems)
        else:
            problems.append(f"{where}: unexpected resource type")
            continue
        counts[kind] += 1
        for reference in references(resource):
            if not LITERAL_REFERENCE.match(reference):
                problems.append(f"{where}: reference {reference!r} is not Type/id")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"valid: {counts['Task']} Task, {counts['Provenance']} Provenance")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
