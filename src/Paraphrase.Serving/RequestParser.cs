using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Paraphrase.Serving;

/// <summary>Reads <c>{"sentence1","sentence2"}</c> or <c>{"pairs": [...]}</c>, with a precise 400/413 for anything else.</summary>
internal static class RequestParser
{
    public static async Task<(List<(string, string)>? Pairs, IResult? Error)> Parse(Stream body, ServingOptions options)
    {
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(chunk)) > 0)
            {
                if (buffer.Length + read > options.MaxBodyBytes)
                {
                    return (null, Problems.Result(413, "Request body too large", $"The body may be at most {options.MaxBodyBytes:N0} bytes; send fewer pairs per request."));
                }

                buffer.Write(chunk, 0, read);
            }

            bytes = buffer.ToArray();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            return (null, BadRequest($"The body is not valid JSON: {e.Message.Split(" Path:")[0]}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, BadRequest("The body must be a JSON object: {\"sentence1\": ..., \"sentence2\": ...} or {\"pairs\": [...]}."));
            }

            if (!root.TryGetProperty("pairs", out var list))
            {
                var single = Pair(root, "");
                return single.Error is null ? ([single.Pair!.Value], null) : (null, single.Error);
            }

            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                return (null, BadRequest("\"pairs\" must be a non-empty array of {\"sentence1\", \"sentence2\"} objects."));
            }

            if (list.GetArrayLength() > options.MaxPairsPerRequest)
            {
                return (null, BadRequest($"Too many pairs: {list.GetArrayLength()}; at most {options.MaxPairsPerRequest} per request."));
            }

            var pairs = new List<(string, string)>();
            int index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var parsed = item.ValueKind == JsonValueKind.Object ? Pair(item, $"pairs[{index}].") : (null, BadRequest($"pairs[{index}] must be an object."));
                if (parsed.Error is not null)
                {
                    return (null, parsed.Error);
                }

                pairs.Add(parsed.Pair!.Value);
                index++;
            }

            return (pairs, null);
        }
    }

    private static ((string, string)? Pair, IResult? Error) Pair(JsonElement element, string path)
    {
        string? Sentence(string name, out IResult? error)
        {
            error = null;
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                error = BadRequest($"{path}{name} is missing.");
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                error = BadRequest($"{path}{name} must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}.");
                return null;
            }

            string text = value.GetString()!;
            if (string.IsNullOrWhiteSpace(text))
            {
                error = BadRequest($"{path}{name} is empty.");
                return null;
            }

            return text;
        }

        var first = Sentence("sentence1", out var firstError);
        if (firstError is not null)
        {
            return (null, firstError);
        }

        var second = Sentence("sentence2", out var secondError);
        return secondError is not null ? (null, secondError) : ((first!, second!), null);
    }

    private static IResult BadRequest(string detail) => Problems.Result(400, "Bad request", detail);
}
