"""The composition root: builds each stage from Settings, or takes injected parts
(tests pass fakes here). No module-level instances anywhere."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.answering.answer import Answerer
from assistant.answering.compress import Compressor
from assistant.claims.checker import ClaimChecker
from assistant.claims.entail import EntailmentJudge
from assistant.drafting.clauses import load_library
from assistant.drafting.draft import Drafter
from assistant.ingest.index import IndexConfig, Indexer
from assistant.llm.chat import make_chat_model
from assistant.llm.prompts import load_prompt
from assistant.llm.runtime_check import ModelGate
from assistant.search.catalog import Catalog
from assistant.search.embed import Embedder, make_embedder
from assistant.search.retrieve import RetrievalConfig, Retriever
from assistant.search.vectors import VectorConfig, VectorStore
from assistant.settings import Settings
from assistant.tenders.review import CardRechecker
from assistant.tenders.workspace import Workspace


@dataclass
class Services:
    settings: Settings
    embedder: Embedder
    catalog: Catalog
    vectors: VectorStore
    indexer: Indexer
    retriever: Retriever
    chat_model: BaseChatModel
    answerer: Answerer
    drafter: Drafter
    workspace: Workspace
    rechecker: CardRechecker
    model_gate: ModelGate | None = None

    @classmethod
    def build(cls, settings: Settings | None = None, *, embedder: Embedder | None = None,
              chat_model: BaseChatModel | None = None, model_gate: ModelGate | None = None) -> Services:
        settings = settings or Settings()
        if model_gate is None and chat_model is None and settings.llm == "llamacpp" and settings.llm_selftest:
            model_gate = ModelGate(settings.gguf_path, settings.llm_threads, settings.selftest_path,
                                   timeout_s=settings.llm_selftest_timeout_s)
        embedder = embedder or make_embedder(settings)
        catalog = Catalog(settings.database("catalog"))
        vectors = VectorStore(VectorConfig.from_settings(settings), embedder)
        retriever = Retriever(RetrievalConfig.from_settings(settings), embedder, catalog, vectors)
        chat_model = chat_model or make_chat_model(settings, model_gate)
        judge = EntailmentJudge(chat_model, load_prompt("entail"), threshold=settings.claim_entailment_threshold)

        def checker_for(second_opinion: bool) -> ClaimChecker:
            return ClaimChecker(catalog.analyzer, embedder, min_overlap=settings.support_min_overlap,
                                min_similarity=settings.support_min_similarity,
                                judge=judge if second_opinion else None)

        # One checker, its second opinion set apart for chat answers (a time budget) and for cards (signed off
        # clause by clause); see the README on what it costs.
        checker, card_checker = checker_for(settings.claim_entailment), checker_for(settings.card_entailment)
        compressor = (Compressor(catalog.analyzer, embedder, budget_chars=settings.answer_budget_chars)
                      if settings.answer_compress else None)
        answerer = Answerer(retriever, chat_model, load_prompt(settings.answer_prompt), checker,
                            k=settings.retrieve_k, min_similarity=settings.answer_min_similarity,
                            compressor=compressor, reread=settings.answer_reread)
        drafter = Drafter(load_library(), retriever, catalog, embedder, chat_model,
                          load_prompt(settings.draft_prompt), card_checker,
                          min_template_similarity=settings.min_template_similarity,
                          max_tokens=settings.draft_max_tokens, compressor=compressor)
        indexer = Indexer(IndexConfig.from_settings(settings), embedder, catalog, vectors)
        return cls(settings, embedder, catalog, vectors, indexer, retriever, chat_model, answerer, drafter,
                   Workspace(settings.database("workspace")), CardRechecker(catalog, card_checker), model_gate)

    def model_problem(self) -> str | None:
        """Why the model cannot answer on this machine (a Danish sentence), or None.

        Runs the self-test in a child process the first time; search, tenders and export never need it.
        """
        if self.model_gate is None:
            return None
        result = self.model_gate.result()
        return None if result.ok else result.message

    def close(self) -> None:
        self.catalog.close()
        self.workspace.close()
