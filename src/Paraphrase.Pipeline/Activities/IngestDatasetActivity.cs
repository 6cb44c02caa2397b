using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Paraphrase.Core.Datasets;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Activities;

/// <summary>
/// Reads the dataset snapshot the run was planned on, validates every file with the dataset readers (a bad file fails
/// the run with file, line and reason), holds out a seeded share of train as dev when there is no dev file, and writes
/// each split as normalized JSONL into the run folder. Idempotent: a finished ingest is read back, not redone.
/// </summary>
public sealed class IngestDatasetActivity(ArtifactStore store) : TaskActivity<PipelineRunInput, IngestResult>
{
    public override async Task<IngestResult> RunAsync(TaskActivityContext context, PipelineRunInput input)
    {
        var marker = ArtifactPaths.RunFile(input.RunId, "data/ingest.json");
        if (await store.ReadJsonAsync<IngestResult>(marker) is { } done)
        {
            return done.Value;
        }

        var datasets = new Dictionary<string, SentencePairDataset>();
        foreach (var file in input.Files.Where(f => DatasetNames.Splits.Contains(f.Role)))
        {
            datasets[file.Role] = await ReadSnapshotAsync(input, file);
        }

        if (!datasets.TryGetValue("train", out var train))
        {
            throw new PipelineFailedException($"datasets/{input.Dataset}/ has no train file; upload train.tsv, train.csv or train.jsonl");
        }

        var splits = new Dictionary<string, IReadOnlyList<SentencePair>> { ["train"] = train.Pairs };
        bool heldOut = !datasets.ContainsKey("dev");
        if (heldOut)
        {
            (splits["train"], splits["dev"]) = HoldOut.Split(train.Pairs, input.HoldOutFraction, input.Training.Seed);
        }
        else
        {
            splits["dev"] = datasets["dev"].Pairs;
        }

        if (datasets.TryGetValue("test", out var test))
        {
            splits["test"] = test.Pairs;
        }

        var results = new List<IngestedSplit>();
        foreach (var (name, pairs) in splits)
        {
            var blob = ArtifactPaths.RunData(input.RunId, name);
            byte[] jsonl = NormalizedPairs.ToJsonl(pairs);
            var normalized = DatasetReader.Read(new MemoryStream(jsonl), blob.ToString(), DatasetFormat.Jsonl);
            await store.WriteBytesAsync(blob, jsonl);
            string source = input.Files.FirstOrDefault(f => f.Role == name)?.BlobName ?? $"{input.Files.First(f => f.Role == "train").BlobName} (held-out {input.HoldOutFraction:P0})";
            results.Add(new IngestedSplit(name, blob.Name, normalized.ContentHash, pairs.Count, pairs.Count(p => p.Label == 1), source));
        }

        var result = new IngestResult(results, heldOut);
        await store.WriteJsonAsync(marker, result);
        return result;
    }

    private async Task<SentencePairDataset> ReadSnapshotAsync(PipelineRunInput input, DatasetFileRef file)
    {
        var blob = store.Blob(new BlobPath(ArtifactPaths.Datasets, file.BlobName));
        byte[] bytes;
        try
        {
            var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(file.ETag) } });
            bytes = content.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new PipelineFailedException($"datasets/{file.BlobName} changed or disappeared after this run was planned; the newer upload starts a run of its own");
        }

        string source = $"datasets/{file.BlobName}";
        try
        {
            return DatasetReader.Read(new MemoryStream(bytes), source, DatasetReader.ResolveFormat(file.BlobName, DatasetFormat.Auto),
                new DatasetOptions { RequireLabels = true });
        }
        catch (DatasetException e)
        {
            throw new PipelineFailedException(e.Message);
        }
    }
}
