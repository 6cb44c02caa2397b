using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Api;

/// <summary>
/// Puts a file into a dataset folder, <c>datasets/&lt;name&gt;/&lt;role&gt;.&lt;ext&gt;</c>, which is what triggers training; the role
/// comes from the file name unless given (train, dev, test, or pipeline for pipeline.json).
/// </summary>
public static class DatasetUploader
{
    public static async Task<BlobPath> UploadAsync(ArtifactStore store, string file, string dataset, string? role, CancellationToken cancellationToken = default)
    {
        DatasetNames.Validate(dataset);
        role ??= DatasetNames.RoleOf(Path.GetFileName(file)) ?? throw new Orchestration.PipelineFailedException(
            $"cannot tell the role of '{Path.GetFileName(file)}' from its name: pass --as train, dev, test or pipeline");
        string extension = role == "pipeline" ? ".json" : Path.GetExtension(file).ToLowerInvariant();
        string name = role == "pipeline" ? "pipeline.json" : role + extension;
        if (DatasetNames.RoleOf(name) != role)
        {
            throw new Orchestration.PipelineFailedException($"'{role}' with '{extension}' is not a dataset file: use train|dev|test with .tsv, .csv or .jsonl, or pipeline with .json");
        }

        await store.EnsureContainersAsync(cancellationToken);
        // A file of the same role in another format would make the folder ambiguous: replace it.
        foreach (var other in (await store.ListAsync(ArtifactPaths.DatasetFolder(dataset), cancellationToken)).Where(b => DatasetNames.RoleOf(b.RelativeName) == role && b.RelativeName != name))
        {
            await store.Blob(other.Path).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }

        var path = ArtifactPaths.DatasetFolder(dataset).Child(name);
        await store.UploadFileAsync(file, path, cancellationToken);
        return path;
    }
}
