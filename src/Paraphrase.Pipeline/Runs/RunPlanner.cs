using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Runs;

/// <summary>
/// Turns a request into the orchestration's input: the folder's snapshot (each file's ETag and SHA-256), its
/// pipeline.json, the options resolved over the recipe's defaults, and the run id
/// <c>&lt;dataset&gt;-&lt;12 hex of sha256(snapshot hashes + resolved options + base model)&gt;</c>, so that the same snapshot and
/// options always map to the same orchestration instance.
/// </summary>
public sealed class RunPlanner(ArtifactStore store, PipelineOptions options)
{
    private static readonly JsonSerializerOptions Strict = new(PipelineJson.Options) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    public async Task<PipelineRunInput> PlanAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        DatasetNames.Validate(request.Dataset);
        var blobs = await store.ListAsync(ArtifactPaths.DatasetFolder(request.Dataset), cancellationToken);
        var files = new List<DatasetFileRef>();
        DatasetPipelineSettings settings = new();
        foreach (var blob in blobs.Where(b => !b.RelativeName.Contains('/')).OrderBy(b => b.RelativeName, StringComparer.Ordinal))
        {
            string? role = DatasetNames.RoleOf(blob.RelativeName);
            if (role is null)
            {
                continue;
            }

            byte[] bytes = await store.ReadBytesAsync(blob.Path, cancellationToken);
            if (role == "pipeline")
            {
                settings = ParseSettings(bytes, blob.Path);
            }

            files.Add(new DatasetFileRef(role, blob.Path.Name, blob.ETag, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }

        var duplicate = files.GroupBy(f => f.Role).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PipelineFailedException($"datasets/{request.Dataset}/ has more than one {duplicate.Key} file ({string.Join(", ", duplicate.Select(f => f.BlobName))}); keep one");
        }

        if (!files.Any(f => f.Role == "train"))
        {
            throw new PipelineFailedException($"datasets/{request.Dataset}/ has no train file yet; upload train.tsv, train.csv or train.jsonl (with paraphrase data upload)");
        }

        string baseModel = request.BaseModel ?? settings.BaseModel ?? options.DefaultBaseModel;
        var training = ResolveTraining(settings.Training, request.Training, request.Force);
        string runId = RunId(request.Dataset, files, training, baseModel, settings.Promotion ?? new PromotionRule(), settings.HoldOutFraction);
        return new PipelineRunInput(runId, request.Dataset, files, baseModel, training, settings.Promotion ?? new PromotionRule(), settings.HoldOutFraction,
            request.Trigger, options.JobWatch);
    }

    /// <summary>The folder's pipeline.json, or the defaults when it has none.</summary>
    public async Task<DatasetPipelineSettings> ReadSettingsAsync(string dataset, CancellationToken cancellationToken = default)
    {
        var path = new BlobPath(ArtifactPaths.Datasets, $"{dataset}/pipeline.json");
        try
        {
            return ParseSettings(await store.ReadBytesAsync(path, cancellationToken), path);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return new DatasetPipelineSettings();
        }
    }

    public static string RunId(string dataset, IReadOnlyList<DatasetFileRef> files, TrainingOptions training, string baseModel, PromotionRule rule, double holdOut)
    {
        // pipeline.json counts through what it resolves to (options, base model, rule, hold-out), not its bytes: a new
        // schedule or reformatted JSON is not new training.
        var identity = new StringBuilder();
        foreach (var file in files.Where(f => f.Role != "pipeline").OrderBy(f => f.Role, StringComparer.Ordinal))
        {
            identity.Append(file.Role).Append('=').Append(file.Sha256).Append('\n');
        }

        identity.Append(JsonSerializer.Serialize(training, PipelineJson.Line)).Append('\n').Append(baseModel.Trim()).Append('\n')
            .Append(JsonSerializer.Serialize(rule, PipelineJson.Line)).Append('\n').Append(holdOut.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return $"{dataset}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..12]}";
    }

    /// <summary>Whether <paramref name="runId"/> is a run of <paramref name="dataset"/> (not of one whose name merely starts the same).</summary>
    public static bool IsRunOf(string runId, string dataset) =>
        runId.Length == dataset.Length + 13 && runId.StartsWith(dataset + "-", StringComparison.Ordinal);

    /// <summary>The recipe's defaults, then pipeline.json's training section, then the request's.</summary>
    internal static TrainingOptions ResolveTraining(JsonObject? fromDataset, JsonObject? fromRequest, bool force)
    {
        var merged = JsonSerializer.SerializeToNode(new TrainingOptions(), PipelineJson.Options)!.AsObject();
        foreach (var layer in new[] { fromDataset, fromRequest })
        {
            foreach (var (key, value) in layer ?? [])
            {
                string name = merged.Select(p => p.Key).FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase)) ?? key;
                merged[name] = value?.DeepClone();
            }
        }

        if (force && fromRequest?.ContainsKey("seed") != true)
        {
            merged["seed"] = (ulong)RandomNumberGenerator.GetInt32(int.MaxValue);
        }

        TrainingOptions options;
        try
        {
            options = merged.Deserialize<TrainingOptions>(Strict)!;
        }
        catch (JsonException e)
        {
            throw new PipelineFailedException($"training options: {e.Message} (names are TrainingOptions' in camelCase, e.g. epochs, batchSize, learningRate, maxLength)");
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new PipelineFailedException($"training options: {e.Message}");
        }

        return options;
    }

    private static DatasetPipelineSettings ParseSettings(byte[] bytes, BlobPath path)
    {
        try
        {
            return JsonSerializer.Deserialize<DatasetPipelineSettings>(bytes, Strict) ?? new DatasetPipelineSettings();
        }
        catch (JsonException e)
        {
            throw new PipelineFailedException($"{path}: {e.Message} (expected {{\"baseModel\"?, \"training\"?, \"schedule\"?, \"promotion\"?: {{\"metric\", \"margin\"}}, \"holdOutFraction\"?}})");
        }
    }
}
