"""Chat models behind LangChain's interface: llama.cpp embedded (default) or any
OpenAI-compatible endpoint. Tests pass a LangChain fake chat model instead."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr, SecretStr

from assistant.settings import Settings

log = logging.getLogger(__name__)

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def _to_llama(messages: list[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]


class LlamaCppChatModel(BaseChatModel):
    """The packaged GGUF run in-process by llama-cpp-python.

    Loads on first call (after the sha256 check), so constructing it is free.
    ``response_format`` (a JSON schema) may be passed per call for constrained output.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    n_threads: int = 2
    n_ctx: int = 4096
    # Flash attention read prompts about 8 % faster here (62 → 67 tokens/s on 2 cores).
    flash_attn: bool = True
    max_tokens: int = 400
    temperature: float = 0.1
    verify_hash: bool = True
    # A runtime_check.ModelGate: the child-process self-test that must pass before the runtime is
    # loaded into this process (a runtime built for instructions the CPU refuses kills the process).
    gate: Any = None
    _llama: Any = PrivateAttr(default=None)
    # One llama.cpp context serves every caller; Gradio runs the chat and the drafting events in
    # different threads, and two threads decoding in one context abort the whole process. So calls
    # take turns (a streamed answer holds the lock until its last token).
    _lock: Any = PrivateAttr(default_factory=threading.RLock)
    _formatter: Any = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-embedded"

    def _model(self):
        if self._llama is None:
            from pathlib import Path

            from llama_cpp import Llama

            from assistant.llm.model_store import verify_once

            if self.verify_hash:
                verify_once(Path(self.model_path))
            if self.gate is not None:
                self.gate.ensure()
            self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx,
                                n_threads=self.n_threads, flash_attn=self.flash_attn, verbose=False)
        return self._llama

    def _params(self, stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        params = {"max_tokens": kwargs.get("max_tokens", self.max_tokens),
                  "temperature": kwargs.get("temperature", self.temperature), "stop": stop}
        if "response_format" in kwargs:
            params["response_format"] = kwargs["response_format"]
        return params

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        with self._lock:
            out = self._model().create_chat_completion(messages=_to_llama(messages),
                                                       **self._params(stop, kwargs))
        text = out["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            for part in self._model().create_chat_completion(messages=_to_llama(messages), stream=True,
                                                             **self._params(stop, kwargs)):
                token = part["choices"][0]["delta"].get("content")
                if token:
                    if run_manager:
                        run_manager.on_llm_new_token(token)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=token))

    def first_token_logprobs(self, messages: list[BaseMessage], choices: Sequence[str]) -> dict[str, float]:
        """The log-probability of each choice as the first token of the reply, read from one forward pass
        with no sampling: a graded verdict where a sampled "ja"/"nej" would be a coin the model flips. The
        prompt's longest prefix already in the context is not read again, so a fixed system prompt costs
        once."""
        import numpy as np
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        with self._lock:
            llm = self._model()
            if self._formatter is None:
                eos, bos = llm.token_eos(), llm.token_bos()
                self._formatter = Jinja2ChatFormatter(
                    template=llm.metadata["tokenizer.chat_template"],
                    eos_token=llm._model.token_get_text(eos) if eos != -1 else "",
                    bos_token=llm._model.token_get_text(bos) if bos != -1 else "")
            prompt = self._formatter(messages=_to_llama(messages)).prompt
            tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
            held = llm.longest_token_prefix(llm._input_ids.tolist(), tokens)
            llm.n_tokens = min(held, len(tokens) - 1)
            llm.eval(tokens[llm.n_tokens:])
            logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).astype(np.float64)
            top = logits.max()
            norm = top + np.log(np.exp(logits - top).sum())
            # A choice's first token stands for it: "ja" and "nej" are one token each in the packaged model.
            ids = {c: llm.tokenize(c.encode("utf-8"), add_bos=False, special=False)[0] for c in choices}
            return {c: float(logits[i] - norm) for c, i in ids.items()}


def structured_output_kwargs(chat_model: BaseChatModel, schema: dict, name: str) -> dict[str, Any]:
    """Per-call kwargs that constrain the output to ``schema``: a llama.cpp grammar for
    the embedded model, structured outputs for OpenAI-compatible servers."""
    if isinstance(chat_model, LlamaCppChatModel):
        return {"response_format": {"type": "json_object", "schema": schema}}
    from langchain_openai import ChatOpenAI

    if isinstance(chat_model, ChatOpenAI):
        return {"response_format": {"type": "json_schema",
                                    "json_schema": {"name": name, "schema": schema, "strict": False}}}
    return {}


def make_chat_model(settings: Settings, gate: Any = None) -> BaseChatModel:
    if settings.llm == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            api_key=SecretStr(settings.openai_api_key),
            temperature=settings.llm_temperature,
            max_completion_tokens=settings.llm_max_tokens,
            streaming=True,
        )
    return LlamaCppChatModel(
        model_path=str(settings.gguf_path),
        n_threads=settings.llm_threads,
        n_ctx=settings.llm_context,
        flash_attn=settings.llm_flash_attn,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
        gate=gate,
    )
