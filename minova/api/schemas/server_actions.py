"""Schemas of the ``POST /servers/{id}/action`` bodies minova serves (Nova v2.1)."""

from minova.api.schemas import response_types as rt

# Actions without arguments take null (Nova accepts ``{"os-stop": null}``).
_no_arguments = {"type": ["object", "null"], "properties": {}, "additionalProperties": False}


def _action(name: str, argument: dict) -> dict:
    return {
        "type": "object",
        "properties": {name: argument},
        "required": [name],
        "additionalProperties": False,
    }


stop = _action("os-stop", _no_arguments)
start = _action("os-start", _no_arguments)
pause = _action("pause", _no_arguments)
unpause = _action("unpause", _no_arguments)
suspend = _action("suspend", _no_arguments)
resume = _action("resume", _no_arguments)

reboot = _action("reboot", {
    "type": "object",
    "properties": {
        "type": {"type": "string",
                 "enum": ["HARD", "Hard", "hard", "SOFT", "Soft", "soft"]},
    },
    "required": ["type"],
    "additionalProperties": False,
})

get_console_output = _action("os-getConsoleOutput", {
    "type": "object",
    "properties": {
        # -1 (or null) means the whole log, as in Nova
        "length": {"type": ["integer", "string", "null"], "pattern": "^-?[0-9]+$",
                   "minimum": -1},
    },
    "additionalProperties": False,
})


# --- responses (the other actions answer 202 without a body)

get_console_output_response = rt.strict({"output": {"type": "string"}})
