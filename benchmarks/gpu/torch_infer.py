"""PyTorch eager inference of a fine-tuned BERT classifier, measured the way the C# `inference` benchmark
measures ONNX Runtime, so that benchmarks/gpu/serve-speed.sh can put the two side by side on one GPU.

Usage: python3 benchmarks/gpu/torch_infer.py MODEL_DIR [--device cuda] [--seconds 10] [--results FILE] [--tf32]

MODEL_DIR is a Hugging Face-layout directory (config.json, model.safetensors or pytorch_model.bin) as written
by `paraphrase train`. Same figures as the C# side: each MRPC dev pair alone (after 20 warm-up calls) for
p50/p99, then consecutive full batches of 32 dev pairs for the throughput; one call is token ids on the host
to logits on the host (padding, copy to the device, forward, copy back), as ParaphraseClassifier.Run does.
The token ids are Hugging Face's own encoding of MRPC dev (the tokenizer test fixture), which the project's
tokenizer reproduces exactly, so both sides see identical inputs without needing a tokenizer here.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEV_IDS = os.path.join(ROOT, "tests", "Paraphrase.Core.Tests", "Fixtures", "tokenizer", "dev.jsonl")


def read_weights(directory):
    """The state dict, or None when there is nothing readable (the caller then exits 0 with a message)."""
    path = os.path.join(directory, "model.safetensors")
    if os.path.exists(path):
        try:
            from safetensors.torch import load_file
            return load_file(path)
        except ImportError:
            return read_safetensors(path)
    path = os.path.join(directory, "pytorch_model.bin")
    if os.path.exists(path):
        return torch.load(path, map_location="cpu", weights_only=True)
    return None


def read_safetensors(path):
    # The format is an 8-byte header length, a JSON header of name -> dtype/shape/offsets, then raw
    # little-endian data; reading it by hand keeps the script working where the safetensors package is absent.
    dtypes = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = bytearray(f.read())
    state = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = dtypes[info["dtype"]]
        size = torch.empty(0, dtype=dtype).element_size()
        tensor = torch.frombuffer(data, dtype=dtype, count=(end - start) // size, offset=start)
        state[name] = tensor.reshape(info["shape"]).clone()
    return state


class PlainBert(torch.nn.Module):
    """BertForSequenceClassification's inference path in plain torch, reading Hugging Face's parameter names,
    for hosts without transformers. Post-LayerNorm encoder, exact (erf) GELU, tanh pooler over [CLS]."""

    def __init__(self, config, state):
        super().__init__()
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config.get("layer_norm_eps", 1e-12)
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"hidden_act {config['hidden_act']} is not implemented here")
        # Plain tensors in a ParameterDict keep the names of the checkpoint, so a missing one fails loudly.
        self.w = torch.nn.ParameterDict({k.replace(".", "__"): torch.nn.Parameter(v, requires_grad=False)
                                         for k, v in state.items() if k.startswith(("bert.", "classifier."))})

    def p(self, name):
        return self.w[name.replace(".", "__")]

    def norm(self, x, prefix):
        return F.layer_norm(x, x.shape[-1:], self.p(prefix + ".weight"), self.p(prefix + ".bias"), self.eps)

    def linear(self, x, prefix):
        return F.linear(x, self.p(prefix + ".weight"), self.p(prefix + ".bias"))

    def forward(self, input_ids, attention_mask, token_type_ids):
        b, t = input_ids.shape
        positions = torch.arange(t, device=input_ids.device)
        x = (F.embedding(input_ids, self.p("bert.embeddings.word_embeddings.weight"))
             + F.embedding(positions, self.p("bert.embeddings.position_embeddings.weight"))
             + F.embedding(token_type_ids, self.p("bert.embeddings.token_type_embeddings.weight")))
        x = self.norm(x, "bert.embeddings.LayerNorm")
        # Additive mask over keys, as Hugging Face builds it: 0 where attended, the dtype's minimum on padding.
        mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        d = x.shape[-1] // self.heads
        for i in range(self.layers):
            a = f"bert.encoder.layer.{i}."
            q, k, v = (self.linear(x, a + "attention.self." + n).view(b, t, self.heads, d).transpose(1, 2) for n in ("query", "key", "value"))
            if hasattr(F, "scaled_dot_product_attention"):
                ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
            else:
                ctx = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + mask, dim=-1) @ v
            ctx = ctx.transpose(1, 2).reshape(b, t, -1)
            x = self.norm(self.linear(ctx, a + "attention.output.dense") + x, a + "attention.output.LayerNorm")
            h = F.gelu(self.linear(x, a + "intermediate.dense"))
            x = self.norm(self.linear(h, a + "output.dense") + x, a + "output.LayerNorm")
        pooled = torch.tanh(self.linear(x[:, 0], "bert.pooler.dense"))
        return self.linear(pooled, "classifier")


def build_model(config, state, impl):
    if impl in ("auto", "transformers"):
        try:
            import transformers
            from transformers import BertConfig, BertForSequenceClassification
        except ImportError:
            if impl == "transformers":
                raise
        else:
            model = BertForSequenceClassification(BertConfig.from_dict(config))
            missing, unexpected = model.load_state_dict(state, strict=False)
            # position_ids / token_type_ids buffers are not saved by every writer; any real weight missing is an error.
            missing = [k for k in missing if not k.endswith(("position_ids", "token_type_ids"))]
            if missing or unexpected:
                raise ValueError(f"checkpoint does not fit BertForSequenceClassification: missing {missing[:5]}, unexpected {unexpected[:5]}")
            attention = getattr(model.config, "_attn_implementation", None) or "default"
            return (lambda ids, mask, types: model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits), model, \
                f"PyTorch eager, transformers {transformers.__version__} ({attention})"
    model = PlainBert(config, state)
    return model, model, "PyTorch eager, plain torch BERT"


def load_pairs(vocab_path):
    pairs = [json.loads(line) for line in open(DEV_IDS, encoding="utf-8")]
    pairs.sort(key=lambda p: p["idx"])
    # The fixture holds bert-base-uncased ids; check that the model's vocabulary is that one (MiniLM's is).
    if vocab_path and os.path.exists(vocab_path):
        vocab = [line.rstrip("\r\n") for line in open(vocab_path, encoding="utf-8")]
        expected = {0: "[PAD]", 100: "[UNK]", 101: "[CLS]", 102: "[SEP]", 1996: "the", 2002: "he"}
        if len(vocab) != 30522 or any(vocab[i] != tok for i, tok in expected.items()):
            sys.exit(f"error: {vocab_path} is not bert-base-uncased's vocabulary, which the token ids in {DEV_IDS} assume")
    return pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--results", help="append tab-separated rows (name, p50, p99, pairs/s, accuracy)")
    parser.add_argument("--vocab", help="vocab.txt to check against the token ids (default: MODEL/vocab.txt if present)")
    parser.add_argument("--impl", choices=["auto", "transformers", "plain"], default="auto")
    parser.add_argument("--tf32", action="store_true", help="allow TF32 matrix products (ONNX Runtime's CUDA default); off: strict float32")
    args = parser.parse_args()

    config_path = os.path.join(args.model, "config.json")
    try:
        config = json.load(open(config_path))
        state = read_weights(args.model)
    except Exception as e:  # noqa: BLE001 - any failure to read the weights is reported, not a crash
        state, reason = None, f"{type(e).__name__}: {e}"
    else:
        reason = "no model.safetensors or pytorch_model.bin"
    if state is None:
        print(f"torch_infer: cannot read weights from {args.model} ({reason}); PyTorch side skipped")
        return 0

    device = torch.device(args.device)
    # "highest" is PyTorch's default (strict float32 products); "high" lets cuBLAS use TF32 as ONNX Runtime does by default.
    torch.set_float32_matmul_precision("high" if args.tf32 else "highest")
    forward, module, name = build_model(config, {k: v.float() for k, v in state.items()}, args.impl)
    module.to(device).eval()
    name += ", TF32" if args.tf32 else ", float32"

    pairs = load_pairs(args.vocab or os.path.join(args.model, "vocab.txt"))
    labels = [p["label"] for p in pairs]
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)

    def run(batch):
        # Host ids -> padded host tensors -> device -> logits on the host: the work one ParaphraseClassifier.Run does.
        width = max(len(p["input_ids"]) for p in batch)
        ids = torch.zeros(len(batch), width, dtype=torch.long)
        types = torch.zeros(len(batch), width, dtype=torch.long)
        mask = torch.zeros(len(batch), width, dtype=torch.long)
        for row, p in enumerate(batch):
            n = len(p["input_ids"])
            ids[row, :n] = torch.tensor(p["input_ids"])
            types[row, :n] = torch.tensor(p["token_type_ids"])
            mask[row, :n] = 1
        return forward(ids.to(device), mask.to(device), types.to(device)).float().cpu()

    with torch.inference_mode():
        predictions = [int(l.argmax()) for i in range(0, len(pairs), 32) for l in run(pairs[i:i + 32])]
        accuracy = sum(p == y for p, y in zip(predictions, labels)) / len(labels)

        for p in pairs[:20]:
            run([p])
        latencies = []
        for p in pairs:
            sync()
            start = time.perf_counter()
            run([p])
            sync()
            latencies.append((time.perf_counter() - start) * 1000)
        latencies.sort()

        batches = [pairs[i:i + 32] for i in range(0, len(pairs) - 31, 32)]
        run(batches[0])
        done, b = 0, 0
        sync()
        start = time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            run(batches[b])
            done += len(batches[b])
            b = (b + 1) % len(batches)
        sync()
        throughput = done / (time.perf_counter() - start)

    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"torch {torch.__version__} on {where}; {len(pairs)} MRPC dev pairs; {args.seconds:.0f} s per throughput measurement")
    print(f"{name:<58} {p50:8.2f} {p99:8.2f} {throughput:17.0f} {accuracy:13.2%}")
    if args.results:
        with open(args.results, "a") as f:
            f.write(f"{name}\t{p50:.2f}\t{p99:.2f}\t{throughput:.0f}\t{accuracy:.4f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
