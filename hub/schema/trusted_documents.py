"""Trusted documents: a manifest of the operations a deployment's own frontends send.

With ``HUB_TRUSTED_DOCUMENTS`` set to a manifest, the hub runs only the
operations listed in it: sent by hash (``extensions.persistedQuery.sha256Hash``,
as Apollo and Relay clients do) or in full when the SHA-256 of the text is
listed. Two manifest shapes are read, both JSON:

- a map of hash to document text (Relay's ``persisted-queries.json``,
  GraphQL Codegen's client preset): ``{"<sha256>": "query Name { ... }"}``;
- Apollo's persisted query manifest:
  ``{"format": "apollo-persisted-query-manifest", "version": 1,
  "operations": [{"id": "<sha256>", "name": "Name", "type": "query", "body": "..."}]}``.

A hash is the lowercase hex SHA-256 of the document's exact UTF-8 text.
The names of the listed operations are also the names that may become
Prometheus labels (:mod:`hub.observability.metrics`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLError, OperationDefinitionNode, parse


class ManifestError(ValueError):
    """The manifest cannot be read; the message says where and why."""


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TrustedDocuments:
    documents: Mapping[str, str]  # sha256 hex -> document text

    @property
    def operation_names(self) -> frozenset[str]:
        names: set[str] = set()
        for text in self.documents.values():
            for definition in parse(text).definitions:
                if isinstance(definition, OperationDefinitionNode) and definition.name:
                    names.add(definition.name.value)
        return frozenset(names)

    def resolve(self, query: str | None, extensions: Mapping[str, object] | None) -> str:
        """The text to run for a request, or a refusal that says why."""
        persisted = (extensions or {}).get("persistedQuery")
        wanted = persisted.get("sha256Hash") if isinstance(persisted, Mapping) else None
        if isinstance(wanted, str):
            text = self.documents.get(wanted.lower())
            if text is None:
                raise refusal("PersistedQueryNotFound: this server runs only its trusted documents, "
                              "and no document has that hash", "PERSISTED_QUERY_NOT_FOUND")
            if query is not None and document_hash(query) != wanted.lower():
                raise refusal("the query text does not match its sha256Hash", "PERSISTED_QUERY_NOT_ALLOWED")
            return text
        if query is not None and document_hash(query) in self.documents:
            return query
        raise refusal("this server runs only its trusted documents; send a listed document, "
                      "or its hash as extensions.persistedQuery.sha256Hash", "PERSISTED_QUERY_NOT_ALLOWED")


def refusal(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def load_trusted_documents(path: str) -> TrustedDocuments:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ManifestError(f"HUB_TRUSTED_DOCUMENTS {path}: {exc}") from None
    documents: dict[str, str] = {}
    if isinstance(raw, dict) and raw.get("format") == "apollo-persisted-query-manifest":
        for number, operation in enumerate(raw.get("operations") or []):
            if not (isinstance(operation, dict) and isinstance(operation.get("body"), str)):
                raise ManifestError(f"HUB_TRUSTED_DOCUMENTS {path}: operation {number} has no body")
            documents[str(operation.get("id") or document_hash(operation["body"])).lower()] = operation["body"]
    elif isinstance(raw, dict) and all(isinstance(v, str) for v in raw.values()):
        documents = {str(k).lower(): v for k, v in raw.items()}
    else:
        raise ManifestError(f"HUB_TRUSTED_DOCUMENTS {path}: expected a map of sha256 to document text, "
                            "or an apollo-persisted-query-manifest")
    for digest, text in documents.items():
        if document_hash(text) != digest:
            raise ManifestError(f"HUB_TRUSTED_DOCUMENTS {path}: {digest[:12]}… is not the sha256 of its document")
        try:
            parse(text)
        except GraphQLError as exc:
            raise ManifestError(f"HUB_TRUSTED_DOCUMENTS {path}: {digest[:12]}… does not parse: {exc.message}") from None
    return TrustedDocuments(documents)
