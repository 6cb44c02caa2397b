using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Paraphrase.Pipeline.Storage;

/// <summary>
/// The pipeline's blob storage. A single blob is written in one request, so readers see the old or the new
/// content, never half; a folder counts as written only once its <c>_complete</c> marker exists, which is
/// uploaded last, so a crash mid-upload leaves a folder that every stage treats as absent and writes again.
/// </summary>
public sealed class ArtifactStore(StorageAccount account)
{
    public const string CompleteMarker = "_complete";

    private readonly BlobServiceClient _service = account.Blobs;

    public BlobClient Blob(BlobPath path) => _service.GetBlobContainerClient(path.Container).GetBlobClient(path.Name);

    public BlobContainerClient Container(string name) => _service.GetBlobContainerClient(name);

    public async Task EnsureContainersAsync(CancellationToken cancellationToken = default)
    {
        foreach (string name in ArtifactPaths.Containers)
        {
            await Container(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }

    public async Task<bool> ExistsAsync(BlobPath path, CancellationToken cancellationToken = default) =>
        await Blob(path.IsFolder ? path.Child(CompleteMarker) : path).ExistsAsync(cancellationToken);

    /// <summary>The blobs under a folder (names relative to it, the marker left out), with their ETags.</summary>
    public async Task<IReadOnlyList<StoredBlob>> ListAsync(BlobPath folder, CancellationToken cancellationToken = default)
    {
        var items = new List<StoredBlob>();
        await foreach (var item in Container(folder.Container).GetBlobsAsync(BlobTraits.None, BlobStates.None, folder.Name, cancellationToken))
        {
            string relative = item.Name[folder.Name.Length..];
            if (relative != CompleteMarker)
            {
                items.Add(new StoredBlob(new BlobPath(folder.Container, item.Name), relative, item.Properties.ETag?.ToString() ?? "",
                    item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.MinValue));
            }
        }

        return items;
    }

    public async Task<byte[]> ReadBytesAsync(BlobPath path, CancellationToken cancellationToken = default) =>
        (await Blob(path).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();

    /// <summary>The JSON document at <paramref name="path"/> and its ETag, or null when there is none.</summary>
    public async Task<(T Value, ETag ETag)?> ReadJsonAsync<T>(BlobPath path, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = (await Blob(path).DownloadContentAsync(cancellationToken)).Value;
            var value = JsonSerializer.Deserialize<T>(content.Content.ToMemory().Span, PipelineJson.Options)
                ?? throw new InvalidDataException($"{path} is empty");
            return (value, content.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes a JSON document; <paramref name="conditions"/> (see <see cref="WriteIf"/>) make it an optimistic write.</summary>
    /// <exception cref="RequestFailedException">Status 412 or 409 when a condition does not hold.</exception>
    public async Task<ETag> WriteJsonAsync<T>(BlobPath path, T value, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, PipelineJson.Options);
        var result = await Blob(path).UploadAsync(BinaryData.FromBytes(bytes),
            new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken);
        return result.Value.ETag;
    }

    public async Task WriteBytesAsync(BlobPath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        await Blob(path).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, cancellationToken);

    public async Task UploadFileAsync(string file, BlobPath path, CancellationToken cancellationToken = default) =>
        await Blob(path).UploadAsync(file, overwrite: true, cancellationToken);

    public async Task DownloadFileAsync(BlobPath path, string file, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        string partial = file + ".partial";
        await Blob(path).DownloadToAsync(partial, cancellationToken);
        File.Move(partial, file, overwrite: true);
    }

    /// <summary>Uploads every file under <paramref name="directory"/>, then the folder's completion marker.</summary>
    public async Task UploadFolderAsync(string directory, BlobPath folder, Func<string, bool>? include = null, CancellationToken cancellationToken = default)
    {
        foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            if (include?.Invoke(relative) ?? true)
            {
                await UploadFileAsync(file, folder.Child(relative), cancellationToken);
            }
        }

        await WriteBytesAsync(folder.Child(CompleteMarker), "{}"u8.ToArray(), cancellationToken);
    }

    /// <summary>Downloads a completed folder into <paramref name="directory"/> (replacing what is there).</summary>
    public async Task DownloadFolderAsync(BlobPath folder, string directory, CancellationToken cancellationToken = default)
    {
        if (!await ExistsAsync(folder, cancellationToken))
        {
            throw new FileNotFoundException($"{folder} is not in the artifact store (or was not completely written).");
        }

        foreach (var blob in await ListAsync(folder, cancellationToken))
        {
            await DownloadFileAsync(blob.Path, Path.Combine(directory, blob.RelativeName), cancellationToken);
        }
    }

    public async Task DeleteFolderAsync(BlobPath folder, CancellationToken cancellationToken = default)
    {
        await Blob(folder.Child(CompleteMarker)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        foreach (var blob in await ListAsync(folder, cancellationToken))
        {
            await Blob(blob.Path).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>Appends one line to an append blob, creating it first if needed.</summary>
    public async Task AppendLineAsync(BlobPath path, string line, CancellationToken cancellationToken = default)
    {
        var blob = Container(path.Container).GetAppendBlobClient(path.Name);
        await blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(line.TrimEnd('\n') + "\n"));
        await blob.AppendBlockAsync(stream, cancellationToken: cancellationToken);
    }

    /// <summary>The lines of a text blob; none when it does not exist.</summary>
    public async Task<IReadOnlyList<string>> ReadLinesAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        try
        {
            string text = (await Blob(path).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }
}

/// <summary>One listed blob.</summary>
public sealed record StoredBlob(BlobPath Path, string RelativeName, string ETag, long Length, DateTimeOffset LastModified);

/// <summary>Conditions for optimistic writes.</summary>
public static class WriteIf
{
    /// <summary>Only if the blob still has the ETag it was read with; <c>null</c> (nothing was there) means only if it still does not exist.</summary>
    public static BlobRequestConditions Unchanged(ETag? readETag) =>
        readETag is { } tag ? new BlobRequestConditions { IfMatch = tag } : Absent;

    public static BlobRequestConditions Absent => new() { IfNoneMatch = ETag.All };

    /// <summary>A write refused because its condition failed.</summary>
    public static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;
}
