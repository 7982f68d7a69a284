"""The GraphQL endpoint: persisted queries by id with ETag/304, and screen tokens.

What a client may do:

* ``GET /graphql/?id=<id>&variables=<json>`` runs the persisted query ``graphql/queries/<id>``.
  A successful answer carries an ``ETag`` (from the query id and text, the variables and the
  ``content_version`` of the scope the query reads) and ``Cache-Control: public, max-age=…,
  must-revalidate``; a repeat with ``If-None-Match`` gets ``304`` until something in that scope
  is published, unpublished, expires or goes live. The version is taken *before* the query
  runs, so a change racing the request can only make the next poll refetch, never hide it.
  The scope's pages, its version and the answer itself are kept in the cache every process
  shares (``shared_cache``: after a publish, the screens of a scope cost one render, and a
  change elsewhere leaves their answers alone), and so is the screen a token names: a poll
  answered 304 costs no SQL.
* ``GET`` with a ``query`` text is refused: GET answers are cached publicly, and only the
  reviewed persisted queries may fill those caches. Any query text goes by ``POST`` (never
  cached; ``POST`` with ``id`` runs a persisted query without cache headers).
* Published content is public: every query answers without a token, except ``screenFeed`` and
  ``communityScreenFeed``, the one-request feeds of a compound's and a community's screen,
  which a registered screen's token unlocks for that screen's scope (a community's token
  covers its compounds). The token goes in
  ``Authorization: Screen <token>`` or ``?token=``; an unknown or revoked token is refused on
  any query, so a decommissioned screen goes dark at once, and a valid one records when the
  screen last asked.

Every refusal is a GraphQL error in Chinese with a 4xx status, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError

from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationType,
    execute_sync,
    get_operation_ast,
    validate_schema,
)

from . import shared_cache
from .bounded_cache import BoundedCache
from .conditional import cache_headers, etag_for, etag_matches
from .documents import checked_document
from .persisted_queries import PersistedQuery, PersistedQueryError, get_persisted_query
from .refusals import NUL_REFUSED, RequestRefused, contains_nul, variable_refusal
from .root_fields import (
    RootArguments,
    root_arguments_of,
    root_fields_from,
    root_fields_of,
    version_scope,
)
from .screen_auth import SCREEN_FEED_FIELDS, check_screen_feed, screen_of

# Persisted queries by id: a screen sends the same id and variables on every poll, and what
# they mean (the variables parsed, the root fields' arguments) depends on nothing else, so it
# is worked out once per process for each (query, variables text). Bounded: variables come
# from clients.
MAX_PREPARED = 256
_PREPARED: BoundedCache[tuple[dict[str, Any], RootArguments]] = BoundedCache(MAX_PREPARED)


class ApiView(GraphQLView):
    """graphene-django's view with persisted queries, conditional GET and screen tokens."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with shared_cache.one_request():  # a poll's token, scope and version in one round trip
            return self.answer_request(request, *args, **kwargs)

    def answer_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if request.method not in {"GET", "POST"}:
                raise RequestRefused("只支持 GET 和 POST 请求。", status=405, code="BAD_METHOD")
            request.screen = screen_of(request)  # type: ignore[attr-defined]
            if request.method == "GET":
                if "id" in request.GET:
                    if "query" in request.GET:
                        raise RequestRefused("请只发送 id 或 query 其中之一。")
                    return self.persisted(request, request.GET["id"], request.GET.get("variables"))
                if "query" in request.GET:
                    raise RequestRefused(
                        "GET 请求只接受已登记查询的编号（?id=…）；其他查询请用 POST 发送。",
                        status=405,
                        code="GET_QUERY_REFUSED",
                    )
                if not (self.graphiql and self.can_display_graphiql(request, {})):
                    raise RequestRefused(
                        "请提供已登记查询的编号：GET /graphql/?id=<编号>&variables=<JSON>。",
                        code="QUERY_ID_REQUIRED",
                    )
            elif request.method == "POST":
                try:
                    data = self.parse_body(request)
                except HttpError as malformed:
                    raise RequestRefused(
                        '请求体不是有效的 JSON 对象：应为 {"query": …, "variables": …}。',
                        code="BAD_REQUEST_BODY",
                    ) from malformed
                if isinstance(data, dict) and data.get("id") and not data.get("query"):
                    variables = data.get("variables")
                    if variables is not None and not isinstance(variables, str):
                        variables = json.dumps(variables)
                    return self.persisted(request, str(data["id"]), variables, conditional=False)
        except RequestRefused as refused:
            return self.refusal(request, refused)
        return super().dispatch(request, *args, **kwargs)

    def refusal_body(self, request: HttpRequest, refused: RequestRefused) -> str:
        body = {"errors": [{"message": refused.message, "extensions": {"code": refused.code}}]}
        return self.json_encode(request, body)

    def refusal(self, request: HttpRequest, refused: RequestRefused) -> HttpResponse:
        response = HttpResponse(
            self.refusal_body(request, refused),
            status=refused.status,
            content_type="application/json",
        )
        response["Cache-Control"] = "no-store"
        if refused.status == 405:
            response["Allow"] = "GET, POST"
        if refused.status == 401:
            response["WWW-Authenticate"] = "Screen"
        return response

    def persisted(
        self,
        request: HttpRequest,
        query_id: str,
        raw_variables: str | None,
        *,
        conditional: bool = True,
    ) -> HttpResponse:
        try:
            query = get_persisted_query(query_id)
        except PersistedQueryError as unknown:
            raise RequestRefused(str(unknown), code="UNKNOWN_QUERY_ID") from unknown
        errors = self.validation_errors(query)
        if errors:
            self.variables_from(raw_variables)  # bad JSON is named first, as always
            return self.result_response(request, ExecutionResult(data=None, errors=errors))
        variables, arguments = self.prepared(query, raw_variables)
        fields = root_fields_from(arguments)
        check_screen_feed(fields, getattr(request, "screen", None))

        if not conditional:
            return self.result_response(request, self.run_persisted(request, query, variables))
        etag = etag_for(query, variables, shared_cache.version_of(version_scope(fields)))
        if etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
            return cache_headers(HttpResponse(status=304), etag)
        if self.pretty or request.GET.get("pretty"):  # other bytes than the kept answer's
            return self.answer(request, self.run_persisted(request, query, variables), etag)
        answer = shared_cache.Answer(etag)
        try:
            if answer.body is not None:
                kept = HttpResponse(answer.body, content_type="application/json")
                return cache_headers(kept, etag)
            response = self.answer(request, self.run_persisted(request, query, variables), etag)
            if "ETag" in response:
                answer.keep(response.content)
            return response
        finally:
            answer.release()

    def answer(self, request: HttpRequest, result: ExecutionResult, etag: str) -> HttpResponse:
        """The answer to a conditional GET: cacheable only when it is a whole success."""
        response = self.result_response(request, result)
        if response.status_code == 200 and not result.errors:
            return cache_headers(response, etag)
        return response

    def run_persisted(
        self, request: HttpRequest, query: PersistedQuery, variables: dict[str, Any]
    ) -> ExecutionResult:
        return execute_sync(
            self.schema.graphql_schema,
            query.document,
            root_value=self.get_root_value(request),
            context_value=self.get_context(request),
            variable_values=variables,
            middleware=self.get_middleware(request),
        )

    def prepared(
        self, query: PersistedQuery, raw_variables: str | None
    ) -> tuple[dict[str, Any], RootArguments]:
        """The variables and the root fields' arguments, worked out once per variables text.

        Only what passed is kept: bad variables are refused again on every request.
        """
        key = (query.id, query.digest, raw_variables)
        found = _PREPARED.get(key)
        if found is not None:
            return found
        variables = self.variables_from(raw_variables)
        try:
            arguments = root_arguments_of(
                self.schema.graphql_schema, query.document, query.operation, variables
            )
        except GraphQLError as bad:
            raise variable_refusal(bad) from bad
        _PREPARED.put(key, (variables, arguments))
        return variables, arguments

    def validation_config(self) -> tuple[Any, ...]:
        """The settings the validation rules read: part of every cached validation's key."""
        return ()

    def validation_errors(self, query: PersistedQuery) -> list[GraphQLError]:
        """The query's validation errors, through the same per-process cache as any text."""
        _, errors = checked_document(
            self.schema.graphql_schema,
            query.text,
            self.validation_rules,
            self.validation_config(),
            graphene_settings.MAX_VALIDATION_ERRORS,
        )
        return errors

    @staticmethod
    def variables_from(raw: str | None) -> dict[str, Any]:
        if raw is None or raw.strip() in {"", "null"}:
            return {}
        try:
            variables = json.loads(raw)
        except ValueError as malformed:
            raise RequestRefused(
                "查询变量（variables）不是有效的 JSON。", code="BAD_VARIABLES"
            ) from malformed
        if not isinstance(variables, dict):
            raise RequestRefused(
                '查询变量（variables）应为 JSON 对象，如 {"compound": "jinxiu"}。',
                code="BAD_VARIABLES",
            )
        if contains_nul(variables):
            raise RequestRefused(NUL_REFUSED, code="BAD_VARIABLES")
        return variables

    def result_response(self, request: HttpRequest, result: ExecutionResult) -> HttpResponse:
        payload: dict[str, Any] = {}
        status = 200
        if result.errors:
            payload["errors"] = [self.format_error(error) for error in result.errors]
            if any(not getattr(error, "path", None) for error in result.errors):
                status = 400
        if status == 200:
            payload["data"] = result.data
        response = HttpResponse(
            self.json_encode(request, payload), status=status, content_type="application/json"
        )
        if result.errors:
            response["Cache-Control"] = "no-store"
        return response

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: Any,
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> ExecutionResult | None:
        """graphene-django's POST path, with the document parsed and validated once per text
        (see ``documents``) and the screen feeds checked against the token before they run.

        The schema is read-only (no mutations) and GET with a query text never reaches here
        (``dispatch`` refuses it), so graphene-django's mutation branches are not needed.
        """
        if not query:
            return super().execute_graphql_request(
                request, data, query, variables, operation_name, show_graphiql
            )
        if contains_nul(variables):
            return ExecutionResult(
                errors=[GraphQLError(NUL_REFUSED, extensions={"code": "BAD_VARIABLES"})]
            )
        schema = self.schema.graphql_schema
        schema_errors = validate_schema(schema)
        if schema_errors:
            return ExecutionResult(data=None, errors=schema_errors)
        document, errors = checked_document(
            schema,
            query,
            self.validation_rules,
            self.validation_config(),
            graphene_settings.MAX_VALIDATION_ERRORS,
        )
        if document is None:
            return ExecutionResult(errors=errors)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        operation = get_operation_ast(document, operation_name)
        if operation is not None and operation.operation != OperationType.QUERY:
            raise HttpError(HttpResponseNotAllowed(["POST"], "只支持查询（query）操作。"))
        if operation is not None and any(name in query for name in SCREEN_FEED_FIELDS):
            try:
                fields = root_fields_of(schema, document, operation, variables or {})
            except GraphQLError:
                fields = None  # execution reports the bad variables
            if fields is not None:
                try:
                    check_screen_feed(fields, getattr(request, "screen", None))
                except RequestRefused as refused:
                    return ExecutionResult(
                        errors=[GraphQLError(refused.message, extensions={"code": refused.code})]
                    )
        try:
            return execute_sync(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
            )
        except Exception as error:  # noqa: BLE001 - as graphene-django: an error, not a 500
            return ExecutionResult(errors=[GraphQLError(str(error), original_error=error)])
