using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Serving.Tests;

/// <summary>
/// Blob storage in a dictionary, behind the Azure SDK's own clients: the few REST calls the management endpoints make
/// (list a folder, download, conditional upload, lease a lock blob), so that their handlers run for real without
/// Azurite. Anything else is answered 501, which a test sees as the server's 5xx.
/// </summary>
internal sealed class InMemoryBlobStorage : HttpMessageHandler
{
    private static readonly Uri Endpoint = new("https://fake.blob.core.windows.net/");
    private readonly ConcurrentDictionary<string, (byte[] Content, string ETag)> _blobs = new();
    private int _version;

    /// <summary>A storage account whose blob client talks to this dictionary, without retries.</summary>
    public StorageAccount Account()
    {
        var transport = new HttpClientTransport(this);
        var blobs = new BlobServiceClient(Endpoint, new BlobClientOptions { Transport = transport, Retry = { MaxRetries = 0 } });
        var queues = new QueueServiceClient(new Uri("https://fake.queue.core.windows.net/"), new QueueClientOptions { Transport = transport, Retry = { MaxRetries = 0 } });
        return new StorageAccount(blobs, queues);
    }

    public void Put(string container, string name, string content) => _blobs[$"{container}/{name}"] = (Encoding.UTF8.GetBytes(content), NextETag());

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath.TrimStart('/'));
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
        if (request.Method == HttpMethod.Get && query["comp"] == "list" && query["restype"] == "container")
        {
            return List(path, query["prefix"] ?? "");
        }

        if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head)
        {
            return _blobs.TryGetValue(path, out var blob) ? Found(blob, request.Method == HttpMethod.Head) : Error(HttpStatusCode.NotFound, "BlobNotFound");
        }

        if (request.Method == HttpMethod.Put && query["comp"] == "lease")
        {
            return Lease(request, path);
        }

        if (request.Method == HttpMethod.Put && query["comp"] is null)
        {
            byte[] content = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            return Upload(request, path, content);
        }

        return Error(HttpStatusCode.NotImplemented, "NotImplementedInTheTestDouble");
    }

    private HttpResponseMessage List(string container, string prefix)
    {
        var xml = new StringBuilder($"<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"{Endpoint}\" ContainerName=\"{container}\">");
        xml.Append($"<Prefix>{SecurityElement.Escape(prefix)}</Prefix><Blobs>");
        foreach (var (key, blob) in _blobs.Where(b => b.Key.StartsWith($"{container}/{prefix}", StringComparison.Ordinal)).OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            xml.Append($"<Blob><Name>{SecurityElement.Escape(key[(container.Length + 1)..])}</Name><Properties>")
                .Append($"<Last-Modified>{LastModified}</Last-Modified><Etag>{blob.ETag}</Etag><Content-Length>{blob.Content.Length}</Content-Length>")
                .Append("<BlobType>BlockBlob</BlobType></Properties></Blob>");
        }

        xml.Append("</Blobs><NextMarker /></EnumerationResults>");
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(xml.ToString(), Encoding.UTF8, "application/xml") };
        return response;
    }

    private static HttpResponseMessage Found((byte[] Content, string ETag) blob, bool headOnly)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(headOnly ? [] : blob.Content) };
        response.Content.Headers.ContentLength = blob.Content.Length;
        response.Content.Headers.TryAddWithoutValidation("Last-Modified", LastModified);
        response.Headers.TryAddWithoutValidation("ETag", blob.ETag);
        response.Headers.Add("x-ms-blob-type", "BlockBlob");
        return response;
    }

    private HttpResponseMessage Upload(HttpRequestMessage request, string path, byte[] content)
    {
        bool exists = _blobs.TryGetValue(path, out var current);
        if (request.Headers.TryGetValues("If-None-Match", out var none) && none.Contains("*") && exists)
        {
            return Error(HttpStatusCode.Conflict, "BlobAlreadyExists");
        }

        if (request.Headers.TryGetValues("If-Match", out var match) && (!exists || !match.Contains(current.ETag)))
        {
            return Error(HttpStatusCode.PreconditionFailed, "ConditionNotMet");
        }

        string etag = NextETag();
        _blobs[path] = (content, etag);
        var response = new HttpResponseMessage(HttpStatusCode.Created) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("ETag", etag);
        response.Content.Headers.TryAddWithoutValidation("Last-Modified", LastModified);
        return response;
    }

    private HttpResponseMessage Lease(HttpRequestMessage request, string path)
    {
        if (!_blobs.TryGetValue(path, out var blob))
        {
            return Error(HttpStatusCode.NotFound, "BlobNotFound");
        }

        string action = request.Headers.GetValues("x-ms-lease-action").Single();
        var response = new HttpResponseMessage(action == "acquire" ? HttpStatusCode.Created : HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("ETag", blob.ETag);
        response.Content.Headers.TryAddWithoutValidation("Last-Modified", LastModified);
        if (request.Headers.TryGetValues("x-ms-proposed-lease-id", out var proposed) || request.Headers.TryGetValues("x-ms-lease-id", out proposed))
        {
            response.Headers.Add("x-ms-lease-id", proposed.Single());
        }

        return response;
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string code)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{code}</Message></Error>", Encoding.UTF8, "application/xml"),
        };
        response.Headers.Add("x-ms-error-code", code);
        return response;
    }

    private string NextETag() => $"\"0x{Interlocked.Increment(ref _version).ToString("X", CultureInfo.InvariantCulture)}\"";

    private static string LastModified => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToString("R", CultureInfo.InvariantCulture);
}
