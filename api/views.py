"""The GraphQL endpoint: persisted queries by id with ETag/304, and screen tokens.

What a client may do:

* ``GET /graphql/?id=<id>&variables=<json>`` runs the persisted query ``graphql/queries/<id>``.
  A successful answer carries an ``ETag`` (from the query id and text, the variables and the
  ``content_version`` of the scope the query reads) and ``Cache-Control: public, max-age=…,
  must-revalidate``; a repeat with ``If-None-Match`` gets ``304`` until something in that scope
  is published, unpublished, expires or goes live. The version is taken *before* the query
  runs, so a change racing the request can only make the next poll refetch, never hide it.
  The token, the scope's pages and its version are remembered per process for at most a
  second (``memo``: what stays exact and what may lag, and why that fits ``max-age``).
* ``GET`` with a ``query`` text is refused: GET answers are cached publicly, and only the
  reviewed persisted queries may fill those caches. Any query text goes by ``POST`` (never
  cached; ``POST`` with ``id`` runs a persisted query without cache headers).
* Published content is public: every query answers without a token, except ``screenFeed``,
  the one-request feed of a screen, which a registered screen's token unlocks for that
  screen's scope (a community's token covers its compounds). The token goes in
  ``Authorization: Screen <token>`` or ``?token=``; an unknown or revoked token is refused on
  any query, so a decommissioned screen goes dark at once, and a valid one records when the
  screen last asked.

Every refusal is a GraphQL error in Chinese with a 4xx status, never a 500.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql.execution.values import get_argument_values, get_variable_values
from wagtail.models import Page

from content_types.structure.models import CommunityPage, CompoundPage
from core.ids import id_from_text
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    execute,
    get_operation_ast,
    validate,
    validate_schema,
)

from . import memo
from .documents import checked_document
from .execution import PlainLeafExecutionContext
from .lru import LruCache
from .models import Screen
from .persisted_queries import PersistedQuery, PersistedQueryError, get_persisted_query
from .statements import Statement

# The root field only a registered screen may ask for.
SCREEN_FEED_FIELD = "screenFeed"
# Arguments that name the community or compound a root field reads, and the pages they name.
SCOPE_ARGUMENTS: dict[str, tuple[type[Page], ...]] = {
    "compound": (CompoundPage,),
    "community": (CommunityPage,),
    "scope": (CommunityPage, CompoundPage),
    "slug": (CommunityPage, CompoundPage),
}
SCOPE_ID_ARGUMENTS: tuple[str, ...] = ("id", "compoundId", "communityId", "scopeId")
# Validation results of persisted queries, by schema, query id, text digest and rules.
_VALIDATED: dict[tuple[Any, ...], list[GraphQLError]] = {}
AUTHORIZATION = re.compile(r"^\s*Screen\s+(\S+)\s*$", re.IGNORECASE)


def cache_seconds() -> int:
    return int(getattr(settings, "WEIZHI_API_CACHE_SECONDS", 10))


class RequestRefused(Exception):
    """A request answered with one GraphQL error in Chinese and a 4xx status."""

    def __init__(self, message: str, status: int = 400, code: str = "BAD_REQUEST") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


# A text with U+0000 names nothing here, and PostgreSQL cannot even compare one.
NUL_REFUSED = "查询中的文本不能包含空字符（U+0000）。"


def contains_nul(value: Any) -> bool:
    """Whether a JSON value holds U+0000 in any string, keys included."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


def screen_of(request: HttpRequest) -> Screen | None:
    """The screen whose token the request carries; None without one; refused if it is bad."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    token = ""
    # Other schemes (a proxy's Basic auth) are not ours to judge.
    if header.strip().lower().startswith("screen"):
        match = AUTHORIZATION.match(header)
        if match is None:
            raise RequestRefused(
                "无法识别的 Authorization 请求头：公开屏令牌应以“Screen <令牌>”的格式发送。",
                status=401,
                code="BAD_TOKEN",
            )
        token = match.group(1)
    token = token or request.GET.get("token", "").strip()
    if not token:
        return None
    screen = memo.screen_for(token)
    if screen is None:
        raise RequestRefused(
            "公开屏令牌无效：请核对令牌，或在后台“公开屏”中重新生成。", status=401, code="BAD_TOKEN"
        )
    if screen.is_revoked:
        raise RequestRefused(
            "该公开屏令牌已被吊销，不能再读取数据。", status=401, code="REVOKED_TOKEN"
        )
    screen.mark_seen()
    return screen


def _root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _root_fields(fragment.selection_set, fragments)


class RootField:
    """One root field of an operation with the pages its scope arguments name.

    ``pages`` is None when the field names no scope (it may read anything public).
    """

    def __init__(self, name: str, pages: list[Page] | None) -> None:
        self.name = name
        self.pages = pages


# Each root field: its name and its argument values; None for fields the schema does not
# resolve from arguments (``__typename``, introspection, unknown names).
RootArguments = list[tuple[str, dict[str, Any] | None]]


def root_arguments_of(
    schema: Any,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
) -> RootArguments:
    """The operation's root fields and their argument values: no database, no request.

    Raises ``GraphQLError`` when the variables do not fit the operation.
    """
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
    if isinstance(coerced, list):
        raise coerced[0]
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    query_type = schema.query_type
    found: RootArguments = []
    for node in _root_fields(operation.selection_set, fragments):
        name = node.name.value
        field_def = query_type.fields.get(name)
        if name.startswith("__") or field_def is None:
            found.append((name, None))
        else:
            found.append((name, get_argument_values(field_def, node, coerced)))
    return found


def root_fields_from(arguments: RootArguments) -> list[RootField]:
    """Each root field with the scope pages its arguments name (see ``_pages_named``)."""
    return [
        RootField(name, _pages_named(values))
        if values is not None
        else RootField(name, None if name != "__typename" else [])
        for name, values in arguments
    ]


def root_fields_of(
    schema: Any,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
) -> list[RootField]:
    """The operation's root fields and the scope pages they name (one query per scoped field).

    Raises ``GraphQLError`` when the variables do not fit the operation.
    """
    return root_fields_from(root_arguments_of(schema, document, operation, variables))


# Persisted queries by id: a screen sends the same id and variables on every poll, and what
# they mean (the variables parsed, the root fields' arguments) depends on nothing else, so it
# is worked out once per process for each (query, variables text). Bounded: variables come
# from clients.
MAX_PREPARED = 256
_PREPARED: LruCache[tuple[dict[str, Any], RootArguments]] = LruCache(lambda: MAX_PREPARED)


def _pages_named(arguments: dict[str, Any]) -> list[Page] | None:
    """Pages named by slug (``SCOPE_ARGUMENTS``) or by id (``SCOPE_ID_ARGUMENTS``), in one query.

    A slug is unique only among siblings, and a digit string may be a slug or an id, so an
    argument may name several pages: all are returned, and a screen must cover every one.
    """
    named: list[tuple[tuple[type[Page], ...], str | None, int | None]] = []
    for argument, models in SCOPE_ARGUMENTS.items():
        value = arguments.get(argument)
        if isinstance(value, str) and value.strip():
            value = value.strip()
            # The schema takes a slug, or else an id, in the same argument.
            named.append((models, value, id_from_text(value)))
    for argument in SCOPE_ID_ARGUMENTS:
        value = arguments.get(argument)
        pk = id_from_text(value) if value is not None else None
        if pk is not None:
            named.append(((CommunityPage, CompoundPage), None, pk))
    if not named:
        return None
    return memo.pages_named(tuple(named), lambda: _pages_by_arguments(named))


def _pages_by_arguments(
    named: list[tuple[tuple[type[Page], ...], str | None, int | None]],
) -> list[Page]:
    if len(named) == 1:
        return _pages_by_statement(*named[0])
    condition = Q()
    for models, slug, pk in named:
        condition |= _of_types(models) & (Q(slug=slug or None) | Q(pk=pk))
    return list(Page.objects.filter(condition).only("id", "path", "depth", "title"))


def _of_types(models: tuple[type[Page], ...]) -> Q:
    # By app label and model name, not by content type id, so a compiled statement holds.
    condition = Q()
    for model in models:
        condition |= Q(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )
    return condition


# The page a persisted query names is looked up on every request: building its statement costs
# more than running it, so it is compiled once per database and page types.
_SCOPE_PAGES = Statement(
    lambda models, slug, pk: (
        Page.objects.filter(_of_types(models), Q(slug=slug) | Q(pk=pk))
        .order_by("path")
        .values_list("id", "path", "depth", "title")
    )
)


def _pages_by_statement(
    models: tuple[type[Page], ...], slug: str | None, pk: int | None
) -> list[Page]:
    rows = _SCOPE_PAGES.rows(models, slug=slug or "", pk=pk if pk is not None else -1)
    return [Page(id=id_, path=path, depth=depth, title=title) for id_, path, depth, title in rows]


def version_scope(fields: list[RootField]) -> Page | None:
    """The one page every root field reads within; None (the whole site) when there is none."""
    pages: dict[int, Page] = {}
    for field in fields:
        if field.pages is None:
            return None
        pages.update((page.pk, page) for page in field.pages)
    return next(iter(pages.values())) if len(pages) == 1 else None


def check_screen_feed(fields: list[RootField], screen: Screen | None) -> None:
    """Refuse ``screenFeed`` without a screen token, or for a scope beyond the token's."""
    for field in fields:
        if field.name != SCREEN_FEED_FIELD:
            continue
        if screen is None:
            raise RequestRefused(
                "读取公开屏数据需要公开屏令牌：请在后台“公开屏”中登记屏幕，"
                "并以“Authorization: Screen <令牌>”请求头发送。",
                status=401,
                code="TOKEN_REQUIRED",
            )
        if field.pages == []:
            raise RequestRefused(
                "未找到要读取的社区或小区，请核对查询变量。", status=400, code="SCOPE_NOT_FOUND"
            )
        beyond = [page for page in field.pages or () if not screen.covers(page)]
        if beyond:
            raise RequestRefused(
                f"该公开屏只能读取“{screen.scope.title}”范围内的内容，"
                f"不能读取“{beyond[0].title}”。",
                status=403,
                code="OUT_OF_SCOPE",
            )


def _chinese_variable_error(error: GraphQLError) -> RequestRefused:
    match = re.search(r"Variable '\$(\w+)'", error.message)
    name = f" ${match.group(1)}" if match else ""
    return RequestRefused(
        f"查询变量{name}缺失或取值不合要求，请按查询的定义提供。", code="BAD_VARIABLES"
    )


def etag_for(query: PersistedQuery, variables: dict[str, Any], version: str) -> str:
    key = json.dumps(
        [query.id, query.digest, variables, version], sort_keys=True, ensure_ascii=False
    )
    return '"' + hashlib.blake2b(key.encode(), digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    candidates = (tag.strip().removeprefix("W/") for tag in if_none_match.split(","))
    return etag in candidates


class ApiView(GraphQLView):
    """graphene-django's view with persisted queries, conditional GET and screen tokens."""

    execution_context_class = PlainLeafExecutionContext

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if request.method not in {"GET", "POST"}:
                raise RequestRefused("只支持 GET 和 POST 请求。", status=405, code="BAD_METHOD")
            request.screen = screen_of(request)
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
        schema = self.schema.graphql_schema
        errors = self.validation_errors(query)
        if errors:
            self.variables_from(raw_variables)  # bad JSON is named first, as always
            return self.result_response(request, ExecutionResult(data=None, errors=errors))
        variables, arguments = self.prepared(query, raw_variables)
        fields = root_fields_from(arguments)
        check_screen_feed(fields, request.screen)

        etag = None
        if conditional:
            etag = etag_for(query, variables, memo.version_of(version_scope(fields)))
            if etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
                return self.cache_headers(HttpResponse(status=304), etag)

        result = execute(
            schema,
            query.document,
            root_value=self.get_root_value(request),
            context_value=self.get_context(request),
            variable_values=variables,
            middleware=self.get_middleware(request),
            execution_context_class=self.execution_context_class,
        )
        response = self.result_response(request, result)
        if etag is not None and response.status_code == 200 and not result.errors:
            return self.cache_headers(response, etag)
        return response

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
            raise _chinese_variable_error(bad) from bad
        _PREPARED.put(key, (variables, arguments))
        return variables, arguments

    def validation_config(self) -> tuple[Any, ...]:
        """The settings the validation rules read: part of every cached validation's key."""
        return ()

    def validation_errors(self, query: PersistedQuery) -> list[GraphQLError]:
        """The query's validation errors, computed once per process (the view is per request)."""
        rules = tuple(self.validation_rules or ())
        key = (id(self.schema), query.id, query.digest, rules, self.validation_config())
        if key not in _VALIDATED:
            _VALIDATED[key] = validate(
                self.schema.graphql_schema,
                query.document,
                list(rules) or None,
                graphene_settings.MAX_VALIDATION_ERRORS,
            )
        return _VALIDATED[key]

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

    @staticmethod
    def cache_headers(response: HttpResponse, etag: str) -> HttpResponse:
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={cache_seconds()}, must-revalidate"
        response["Vary"] = "Authorization"
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
        (see ``documents``) and ``screenFeed`` checked against the token before it runs.

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
        if operation is not None and SCREEN_FEED_FIELD in query:
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
            return execute(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                execution_context_class=self.execution_context_class,
            )
        except Exception as error:  # noqa: BLE001 - as graphene-django: an error, not a 500
            return ExecutionResult(errors=[error])
