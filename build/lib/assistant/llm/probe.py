"""Run the model runtime in a child process: load the GGUF and generate a few tokens.

Never imported by the app itself, only started as ``python -m assistant.llm.probe`` by
``runtime_check`` (and the doctor). A runtime built for instructions the CPU does not allow dies here
with SIGILL, in a process we can lose, instead of inside the app or a CLI command. Prints one JSON
object on stdout. Imports nothing of the assistant so that it runs in any interpreter with llama_cpp.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

# Danish, about 300 tokens: the size of one passage and a question, so prompt tokens/s is realistic.
_BENCH_PROMPT = (
    "Kommunerne vil stille krav om cirkulær emballage i deres udbud. Emballagen skal kunne genbruges "
    "eller genanvendes, den skal være fri for unødvendige materialer, og leverandøren skal dokumentere "
    "andelen af genanvendt plast. Kontraktstyringen følger op på kravene med stikprøver, og manglende "
    "opfyldelse kan medføre bod. Indkøbsstrategien lægger vægt på klima, miljø og socialt ansvar, og "
    "den fælleskommunale tilgang skal gøre det lettere for leverandørerne at opfylde kravene ens i hele "
    "landet. " * 3 + "Spørgsmål: Hvad skal leverandøren dokumentere? Svar:"
)


def probe(model: str, threads: int, n_ctx: int, tokens: int, bench: bool) -> dict:
    t0 = time.perf_counter()
    import llama_cpp

    llm = llama_cpp.Llama(model_path=model, n_ctx=n_ctx, n_threads=threads, verbose=False)
    result: dict = {"llama_cpp": llama_cpp.__version__, "load_s": round(time.perf_counter() - t0, 3),
                    "system_info": llama_cpp.llama_print_system_info().decode(errors="replace").strip()}
    prompt = _BENCH_PROMPT if bench else "Svar kort: Hvad er et udbud?"
    prompt_tokens = llm.tokenize(prompt.encode())
    n = tokens
    start = time.perf_counter()
    first = None
    produced = 0
    text: list[int] = []
    for token in llm.generate(prompt_tokens, temp=0.0, reset=True):
        if first is None:
            first = time.perf_counter()
        produced += 1
        text.append(token)
        if produced >= n or token == llm.token_eos():
            break
    end = time.perf_counter()
    first = first or end
    result.update({
        "prompt_tokens": len(prompt_tokens),
        "generated_tokens": produced,
        "text": llm.detokenize(text).decode(errors="replace"),
        "prompt_tok_s": round(len(prompt_tokens) / max(first - start, 1e-9), 1),
        "gen_tok_s": round((produced - 1) / max(end - first, 1e-9), 1) if produced > 1 else None,
    })
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ctx", type=int, default=1024)
    parser.add_argument("--tokens", type=int, default=4)
    parser.add_argument("--bench", action="store_true", help="a ~300-token prompt and 32 new tokens")
    args = parser.parse_args(argv)
    tokens = max(args.tokens, 32) if args.bench else args.tokens
    print(json.dumps(probe(args.model, args.threads, args.ctx, tokens, args.bench), ensure_ascii=False))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
