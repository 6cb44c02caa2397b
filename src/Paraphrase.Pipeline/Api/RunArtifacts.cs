using Azure;
using Azure.Storage.Blobs.Models;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Api;

/// <summary>
/// The files of one run folder, <c>runs/&lt;id&gt;/…</c>, for people to read (the dashboard's artifact links): a listing,
/// and one file by its path inside the folder. Paths are checked before they reach storage, so nothing outside the
/// run's folder can be named.
/// </summary>
public sealed class RunArtifacts(ArtifactStore store)
{
    /// <summary>Every file of the run (folder markers left out), by path; empty when the run has no folder.</summary>
    public async Task<IReadOnlyList<RunArtifact>> ListAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (!IsRunId(runId))
        {
            return [];
        }

        var files = await store.ListAsync(new BlobPath(ArtifactPaths.Runs, runId + "/"), cancellationToken);
        return [.. files.Where(f => !f.RelativeName.EndsWith("/" + ArtifactStore.CompleteMarker, StringComparison.Ordinal))
            .OrderBy(f => f.RelativeName, StringComparer.Ordinal)
            .Select(f => new RunArtifact(f.RelativeName, f.Length, f.LastModified))];
    }

    /// <summary>Opens one file of the run for reading; null when the run or the file does not exist.</summary>
    /// <exception cref="ArgumentException">The path is not a plain path inside the run's folder.</exception>
    public async Task<RunArtifactContent?> OpenAsync(string runId, string path, CancellationToken cancellationToken = default)
    {
        if (!IsRunId(runId))
        {
            return null;
        }

        if (!IsSafePath(path))
        {
            throw new ArgumentException($"'{path}' is not a file path inside a run folder: use names such as report.md or export/model.fused.json.", nameof(path));
        }

        try
        {
            var download = await store.Blob(ArtifactPaths.RunFile(runId, path)).DownloadStreamingAsync(cancellationToken: cancellationToken);
            BlobDownloadDetails details = download.Value.Details;
            return new RunArtifactContent(path, download.Value.Content, details.ContentLength, details.ETag.ToString(), details.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Run ids are dataset names plus a suffix: lowercase letters, digits and dashes.</summary>
    public static bool IsRunId(string runId) =>
        runId.Length is > 0 and <= 80 && runId[0] != '-' && runId.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>
    /// A relative path of plain segments: no empty, "." or ".." segment, no backslash, no control character, not
    /// absolute, not a folder.
    /// </summary>
    public static bool IsSafePath(string path) =>
        path.Length is > 0 and <= 512
        && !path.Any(c => char.IsControl(c) || c is '\\' or '?' or '#' or '%')
        && path.Split('/').All(segment => segment.Length > 0 && segment is not ("." or ".."));
}

/// <summary>One file of a run folder: its path inside the folder, size and when it was last written.</summary>
public sealed record RunArtifact(string Path, long Size, DateTimeOffset LastModified);

/// <summary>The listing of a run's folder, as <c>GET /api/pipeline/runs/{id}/artifacts</c> answers it.</summary>
public sealed record RunArtifactList(string RunId, IReadOnlyList<RunArtifact> Files);

/// <summary>An open run file; dispose it to release the download.</summary>
public sealed record RunArtifactContent(string Path, Stream Content, long Length, string ETag, DateTimeOffset LastModified) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
