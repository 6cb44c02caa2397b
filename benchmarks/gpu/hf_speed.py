# Hugging Face transformers running the course's loop (shuffled batches, dynamic padding, AdamW, linear schedule) on
# MRPC train for a model directory; prints steps/s and the seconds spent stepping. Skips if transformers is absent.
# Usage: python3 hf_speed.py <model dir> [--epochs N] [--batch-size N] [--lr LR] [--bf16]   (from the repository root)
import argparse, csv, sys, time
try:
    import torch, transformers
    from transformers import BertForSequenceClassification, BertTokenizerFast, DataCollatorWithPadding, get_scheduler
except Exception as e:
    print("transformers not available:", e); sys.exit(0)
parser = argparse.ArgumentParser()
parser.add_argument("model_dir")
parser.add_argument("--epochs", type=int, default=1)
parser.add_argument("--batch-size", type=int, default=8)
parser.add_argument("--lr", type=float, default=5e-5)
parser.add_argument("--bf16", action="store_true", help="torch.autocast(bfloat16) around forward and loss, as Trainer's bf16=True")
args = parser.parse_args()
torch.manual_seed(42)
tok = BertTokenizerFast(vocab_file=args.model_dir + "/vocab.txt")
rows = list(csv.reader(open("data/mrpc/train.tsv", encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
features = [dict(tok(r[3], r[4], truncation=True), labels=int(r[0])) for r in rows]
loader = torch.utils.data.DataLoader(features, batch_size=args.batch_size, shuffle=True, collate_fn=DataCollatorWithPadding(tok))
model = BertForSequenceClassification.from_pretrained(args.model_dir, num_labels=2).cuda()
opt = torch.optim.AdamW(model.parameters(), lr=args.lr)
steps = args.epochs * len(loader)
sched = get_scheduler("linear", optimizer=opt, num_warmup_steps=0, num_training_steps=steps)
model.train()
torch.cuda.synchronize(); start = time.time()
for epoch in range(args.epochs):
    for batch in loader:
        batch = {k: v.cuda() for k, v in batch.items()}
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=args.bf16):
            loss = model(**batch).loss
        loss.backward(); opt.step(); sched.step(); opt.zero_grad()
torch.cuda.synchronize()
elapsed = time.time() - start
kind = f"batch {args.batch_size}, {'bf16' if args.bf16 else 'fp32'}, {args.epochs} epoch(s)"
print(f"HF transformers {transformers.__version__}, torch {torch.__version__}: {args.model_dir}: {kind}: "
      f"{steps} steps in {elapsed:.1f} s = {steps / elapsed:.1f} steps/s")
