using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Paraphrase.Serving;

/// <summary>
/// Reads JSON request bodies strictly, so that nothing malformed reaches a handler, a deserializer or a
/// <see cref="System.Text.Json.Nodes.JsonObject"/> that would throw later: the media type (415), the size (413), then
/// UTF-8, syntax and depth, every string and property name, names given twice and numbers past double's range (400).
/// These checks are here because System.Text.Json defers them: the reader decodes a string only when it is read (and
/// then throws <see cref="InvalidOperationException"/> for bytes that are not UTF-8 or a <c>\u</c> escape that is a
/// lone surrogate), and a JsonObject builds its dictionary only when it is first enumerated (and then throws
/// <see cref="ArgumentException"/> for a repeated name, compared ignoring case under the web defaults).
/// </summary>
public static class JsonRequestBody
{
    /// <summary>Largest body the management endpoints take: their bodies are a few short fields.</summary>
    public const long DefaultMaxBytes = 64 * 1024;

    /// <summary>Deepest nesting accepted; no endpoint's body is more than four levels deep.</summary>
    public const int MaxDepth = 32;

    // Minimal APIs' defaults: camelCase, names matched ignoring case (which is why the walk compares names that way).
    private static readonly JsonSerializerOptions Binding = JsonSerializerOptions.Web;

    /// <summary>
    /// The body as <typeparamref name="T"/>: null without a problem when the request has no body (or the JSON
    /// <c>null</c>), which each handler judges itself; otherwise a 400, 413 or 415 problem saying what to change.
    /// </summary>
    /// <param name="expected">The body's shape, quoted in every 400, e.g. <c>{"dataset": "mrpc"}</c>.</param>
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, string expected, long maxBytes = DefaultMaxBytes)
        where T : class
    {
        var (bytes, problem) = await ReadBytesAsync(request, maxBytes, "");
        if (problem is null && bytes is { Length: > 0 })
        {
            problem = Validate(bytes, out var document, expected);
            document?.Dispose();
        }

        if (problem is not null)
        {
            return (null, TypedResults.Problem(problem.Detail, statusCode: problem.Status, title: problem.Title));
        }

        if (bytes is not { Length: > 0 })
        {
            return (null, null);
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(bytes, Binding), null);
        }
        catch (JsonException e)
        {
            // The serializer's own message names .NET types; the path and the expected shape say more to a client.
            string where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "The body" : e.Path;
            return (null, TypedResults.Problem($"{where} does not have the type or value this endpoint takes. Expected {expected}.",
                statusCode: 400, title: BadRequestTitle));
        }
    }

    internal const string BadRequestTitle = "Bad request";

    /// <summary>
    /// The body's bytes (a UTF-8 byte order mark removed; empty when the request has none), or the problem with the
    /// request itself: not JSON by its Content-Type, another charset, too large, or cut off.
    /// </summary>
    /// <param name="whenTooLarge">Advice appended to a 413's detail, e.g. "Send fewer pairs per request."</param>
    internal static async Task<(byte[]? Bytes, BodyProblem? Problem)> ReadBytesAsync(HttpRequest request, long maxBytes, string whenTooLarge)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes, whenTooLarge));
        }

        // An empty body needs no type (curl -X POST sends none); one with content must say it is JSON, in UTF-8.
        if (request.ContentLength is not 0 && request.ContentType is { } type && UnsupportedType(request, type) is { } unsupported)
        {
            return (null, unsupported);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, TooLarge(maxBytes, whenTooLarge));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return (null, new BodyProblem(StatusCodes.Status499ClientClosedRequest, "Client closed request", "The client went away before sending the whole body."));
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own verdict on the framing (a malformed chunk, a body shorter than its Content-Length, its
            // size limit): the same status, but as a problem like every other answer.
            return (null, new BodyProblem(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLargeTitle : BadRequestTitle,
                $"The request body could not be read: {e.Message} Send a complete body with a correct Content-Length or chunked encoding."));
        }

        byte[] bytes = buffer.ToArray();
        return (bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes, null);
    }

    /// <summary>
    /// Parses <paramref name="bytes"/> and checks all of it: UTF-8, syntax, depth, every string and property name,
    /// no name twice in an object, every number finite. On success <paramref name="document"/> is the caller's to dispose.
    /// </summary>
    internal static BodyProblem? Validate(byte[] bytes, out JsonDocument? document, string expected)
    {
        document = null;
        if (!Utf8.IsValid(bytes))
        {
            return Bad($"The body is not valid UTF-8: the bytes at offset {FirstInvalidUtf8(bytes)} do not encode a character. " +
                "Send the JSON as UTF-8 text (characters outside ASCII may also be written as \\u escapes).");
        }

        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            return Bad($"The body is not valid JSON: {Brief(e)}. Expected {expected}.");
        }

        if (Check(parsed.RootElement) is { } failure)
        {
            parsed.Dispose();
            return Bad(failure.Describe());
        }

        document = parsed;
        return null;
    }

    private static BodyProblem? UnsupportedType(HttpRequest request, string type)
    {
        if (!request.HasJsonContentType())
        {
            return new BodyProblem(StatusCodes.Status415UnsupportedMediaType, UnsupportedTitle,
                $"The body must be JSON, sent with Content-Type: application/json; got '{type}'.");
        }

        string charset = MediaTypeHeaderValue.TryParse(type, out var media) ? media.Charset.ToString().Trim('"') : "";
        return charset.Length > 0 && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            ? new BodyProblem(StatusCodes.Status415UnsupportedMediaType, UnsupportedTitle,
                $"JSON bodies are read as UTF-8, not {charset}: encode the body as UTF-8 and send Content-Type: application/json (or charset=utf-8).")
            : null;
    }

    /// <summary>The first problem in an element, found depth first; its path is built only when there is one.</summary>
    private static Failure? Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(element) ? null : new Failure(
                    "holds a \\u escape that is half of a surrogate pair (e.g. \\ud800 alone); write the character itself in UTF-8 or escape both halves");
            case JsonValueKind.Array:
                int index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item) is { } failure)
                    {
                        return failure.Under($"[{index}]");
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return new Failure("has a property name with a \\u escape that is half of a surrogate pair (e.g. \\ud800 alone); escape both halves");
                    }

                    if (!names.Add(name))
                    {
                        return new Failure($"has the property \"{Clip(name)}\" more than once (names are compared ignoring case); send each property once");
                    }

                    if (Check(property.Value) is { } failure)
                    {
                        return failure.Under(Clip(name));
                    }
                }

                return null;
            case JsonValueKind.Number:
                // Valid JSON, but past double's range it reads as infinity, which a handler may accept and the
                // serializer then refuses to write back (a run's options go into its id and its input).
                return element.TryGetDouble(out double number) && double.IsFinite(number) ? null : new Failure(
                    "is a number beyond the range of a 64-bit float (about ±1.8e308); send a finite number");
            default:
                return null;
        }
    }

    // A long name is cut in the detail; cutting between the halves of a pair would leave an invalid string there.
    private static string Clip(string name) => name.Length <= 64 ? name : name[..(char.IsHighSurrogate(name[63]) ? 63 : 64)] + "…";

    private static bool Decodes(JsonElement text)
    {
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    /// <summary>The reader's message with its position in words: "… Expected end of data (line 1, byte 4)".</summary>
    private static string Brief(JsonException e)
    {
        string message = e.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd('.', ' ');
        return e.LineNumber is { } line && e.BytePositionInLine is { } column ? $"{message} (line {line + 1}, byte {column + 1})" : message;
    }

    private static BodyProblem TooLarge(long maxBytes, string advice) =>
        new(StatusCodes.Status413PayloadTooLarge, TooLargeTitle, $"The body may be at most {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes.{(advice.Length > 0 ? " " + advice : "")}");

    private static BodyProblem Bad(string detail) => new(StatusCodes.Status400BadRequest, BadRequestTitle, detail);

    private const string TooLargeTitle = "Request body too large", UnsupportedTitle = "Unsupported media type";

    /// <summary>Where in the document a problem is, collected on the way back up: <c>$.pairs[2].sentence1</c>.</summary>
    private sealed class Failure(string problem)
    {
        private readonly List<string> _path = [];

        public Failure Under(string segment)
        {
            _path.Add(segment);
            return this;
        }

        public string Describe()
        {
            var path = new StringBuilder("$");
            for (int i = _path.Count - 1; i >= 0; i--)
            {
                path.Append(_path[i].StartsWith('[') ? "" : ".").Append(_path[i]);
            }

            return $"{path} {problem}.";
        }
    }
}

/// <summary>A problem with a request body: the status, title and detail of its problem-details answer.</summary>
internal sealed record BodyProblem(int Status, string Title, string Detail);
