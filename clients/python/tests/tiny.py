"""A tiny randomly initialised GPT-2 and a word-level tokenizer, built in code (no download)."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Dict, List

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

WORDS = "the a cat dog sat ran on mat log fast slow good bad yes no why how is was very".split()


def build_model(path: Path) -> str:
    import torch
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    torch.manual_seed(0)
    vocab = {t: i for i, t in enumerate(["<pad>", "<unk>", "<eos>"] + WORDS)}
    tok = Tokenizer(WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = Whitespace()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", unk_token="<unk>", eos_token="<eos>")
    fast.chat_template = None
    config = GPT2Config(
        vocab_size=len(vocab),
        n_positions=64,
        n_embd=32,
        n_layer=1,
        n_head=2,
        bos_token_id=2,
        eos_token_id=2,
        pad_token_id=0,
    )
    GPT2LMHeadModel(config).save_pretrained(path)
    fast.save_pretrained(path)
    return str(path)


def preference_pairs(n: int = 32) -> List[Dict[str, str]]:
    rng = random.Random(0)
    out = []
    for _ in range(n):
        prompt = " ".join(rng.choice(WORDS) for _ in range(4))
        out.append({"prompt": prompt, "chosen": " good yes very good", "rejected": " bad no " + rng.choice(WORDS)})
    return out
