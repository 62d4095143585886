"""The JSON body parser: refuses text that is not valid Unicode.

JSON may spell lone surrogates ("\\ud800"), which Python decodes into strings that no
database can store; such a body is answered 400 here rather than failing at the database."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser


class UnicodeJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError("the body has text that is not valid Unicode") from error
        return data
