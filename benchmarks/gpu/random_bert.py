# Writes a randomly initialised BERT for sequence classification in Hugging Face's layout (config.json,
# model.safetensors without the classifier head, vocab.txt), for speed measurements where pretrained weights
# are not at hand. Usage: python3 random_bert.py <dir> <layers> <hidden> <heads> <intermediate>
# Run from the repository root (the vocabulary is copied from data/vocab).
import json, os, struct, sys, shutil
import array, random
out, layers, hidden, heads, inter = sys.argv[1], *map(int, sys.argv[2:6])
os.makedirs(out, exist_ok=True)
try:
    import torch
    g = torch.Generator().manual_seed(0)
    def tensor(shape, kind):
        v = torch.randn(*shape, generator=g) * 0.02 if kind == "normal" else (torch.ones(*shape) if kind == "one" else torch.zeros(*shape))
        return list(shape), v.contiguous().numpy().astype("<f4").tobytes()
except ImportError:  # slow, for checking the format on small shapes
    rng = random.Random(0)
    def tensor(shape, kind):
        n = 1
        for d in shape: n *= d
        values = [rng.gauss(0, 0.02) for _ in range(n)] if kind == "normal" else [1.0 if kind == "one" else 0.0] * n
        return list(shape), array.array("f", values).tobytes()
t = {}
def lin(name, o, i):
    t[name + ".weight"] = tensor((o, i), "normal")
    t[name + ".bias"] = tensor((o,), "zero")
def ln(name, h):
    t[name + ".weight"] = tensor((h,), "one"); t[name + ".bias"] = tensor((h,), "zero")
t["bert.embeddings.word_embeddings.weight"] = tensor((30522, hidden), "normal")
t["bert.embeddings.position_embeddings.weight"] = tensor((512, hidden), "normal")
t["bert.embeddings.token_type_embeddings.weight"] = tensor((2, hidden), "normal")
ln("bert.embeddings.LayerNorm", hidden)
for l in range(layers):
    p = f"bert.encoder.layer.{l}."
    for n in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
        lin(p + n, hidden, hidden)
    ln(p + "attention.output.LayerNorm", hidden)
    lin(p + "intermediate.dense", inter, hidden)
    lin(p + "output.dense", hidden, inter)
    ln(p + "output.LayerNorm", hidden)
lin("bert.pooler.dense", hidden, hidden)
header, blobs, offset = {}, [], 0
for k, (shape, b) in t.items():
    header[k] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(b)]}
    blobs.append(b); offset += len(b)
header["__metadata__"] = {"format": "pt"}
h = json.dumps(header).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(os.path.join(out, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h))); f.write(h)
    for b in blobs: f.write(b)
config = {"architectures": ["BertForSequenceClassification"], "model_type": "bert", "vocab_size": 30522, "hidden_size": hidden,
          "num_hidden_layers": layers, "num_attention_heads": heads, "intermediate_size": inter, "hidden_act": "gelu",
          "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 512, "type_vocab_size": 2,
          "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0}
json.dump(config, open(os.path.join(out, "config.json"), "w"), indent=2)
shutil.copy("data/vocab/bert-base-uncased-vocab.txt", os.path.join(out, "vocab.txt"))
print(out, offset // 4, "parameters")
