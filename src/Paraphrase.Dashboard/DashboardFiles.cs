using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Paraphrase.Dashboard;

/// <summary>One file of the dashboard: its bytes, content type and a strong ETag (a hash of the bytes).</summary>
public sealed record DashboardFile(string Path, ReadOnlyMemory<byte> Content, string ContentType, string ETag);

/// <summary>
/// The dashboard's static files, read once from this assembly's resources (no front-end build, no CDN). A host serves
/// them by path: Kestrel through <see cref="DashboardEndpoints.MapPipelineDashboard"/>, the Function App from two HTTP
/// functions (the page and the assets) that both answer through <see cref="DashboardEndpoints.WriteAsync"/>.
/// </summary>
public static class DashboardFiles
{
    /// <summary>The page itself; every other file is referenced from it by a relative path under <see cref="AssetRoot"/>.</summary>
    public const string IndexPath = "index.html";

    /// <summary>Where the page expects its assets, relative to the page: <c>dashboard/js/app.js</c>.</summary>
    public const string AssetRoot = "dashboard";

    private const string ResourcePrefix = "wwwroot/";

    private static readonly FrozenDictionary<string, DashboardFile> Files = Load();

    /// <summary>
    /// Headers every dashboard response carries. The policy allows only this origin's own scripts, styles and API
    /// (no inline script, nothing from elsewhere), which is what keeps the API key in session storage out of reach of
    /// anything but these files; pictures may also be blob: URLs (run plots fetched with the key).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Headers { get; } = new Dictionary<string, string>
    {
        ["Content-Security-Policy"] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ["X-Content-Type-Options"] = "nosniff",
        ["Referrer-Policy"] = "no-referrer",
        ["Cache-Control"] = "no-cache",
    }.ToFrozenDictionary();

    /// <summary>Every file's path, e.g. <c>index.html</c>, <c>js/app.js</c>.</summary>
    public static IEnumerable<string> Paths => Files.Keys;

    public static DashboardFile Index => Files[IndexPath];

    /// <summary>The file at <paramref name="path"/> (relative to the dashboard's root; empty or "/" is the page), or null.</summary>
    public static DashboardFile? Find(string? path)
    {
        string key = (path ?? "").Trim('/');
        return Files.GetValueOrDefault(key.Length == 0 ? IndexPath : key);
    }

    /// <summary>The content type served for a file name; only the kinds the dashboard ships.</summary>
    public static string ContentTypeOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".json" => "application/json; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };

    private static FrozenDictionary<string, DashboardFile> Load()
    {
        var assembly = typeof(DashboardFiles).Assembly;
        var files = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            string name = resource.Replace('\\', '/');
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string path = name[ResourcePrefix.Length..];
            byte[] content = Read(assembly, resource);
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
            files[path] = new DashboardFile(path, content, ContentTypeOf(path), etag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
