# Hugging Face transformers running the seed recipe (batch 8 shuffled, dynamic padding, AdamW 5e-5, linear
# schedule, fp32) for one epoch of MRPC train on a model directory; prints steps/s. Skips if transformers is absent.
# Usage: python3 hf_speed.py <model dir>   (from the repository root)
import sys, time, csv
try:
    import transformers, torch
    from transformers import BertForSequenceClassification, BertTokenizerFast, DataCollatorWithPadding, get_scheduler
except Exception as e:
    print("transformers not available:", e); sys.exit(0)
model_dir = sys.argv[1]
torch.manual_seed(42)
tok = BertTokenizerFast(vocab_file=model_dir + "/vocab.txt")
rows = list(csv.reader(open("data/mrpc/train.tsv", encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
features = [dict(tok(r[3], r[4], truncation=True), labels=int(r[0])) for r in rows]
collate = DataCollatorWithPadding(tok)
loader = torch.utils.data.DataLoader(features, batch_size=8, shuffle=True, collate_fn=collate)
model = BertForSequenceClassification.from_pretrained(model_dir, num_labels=2).cuda()
opt = torch.optim.AdamW(model.parameters(), lr=5e-5)
sched = get_scheduler("linear", optimizer=opt, num_warmup_steps=0, num_training_steps=len(loader))
model.train()
torch.cuda.synchronize(); start = time.time()
for step, batch in enumerate(loader):
    batch = {k: v.cuda() for k, v in batch.items()}
    loss = model(**batch).loss
    loss.backward(); opt.step(); sched.step(); opt.zero_grad()
torch.cuda.synchronize()
elapsed = time.time() - start
print(f"HF transformers {transformers.__version__}, torch {torch.__version__}: {model_dir}: {len(loader)} steps in {elapsed:.1f} s = {len(loader)/elapsed:.1f} steps/s")
