using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Paraphrase.Serving;

/// <summary>Reads <c>{"sentence1","sentence2"}</c> or <c>{"pairs": [...]}</c>, with a precise 400/413 for anything else.</summary>
internal static class RequestParser
{
    private const string Shape = "{\"sentence1\": \"...\", \"sentence2\": \"...\"} or {\"pairs\": [{\"sentence1\": \"...\", \"sentence2\": \"...\"}, ...]}";

    public static async Task<(List<(string, string)>? Pairs, IResult? Error)> Parse(HttpRequest request, ServingOptions options)
    {
        // Everything that could make System.Text.Json throw later (bytes that are not UTF-8, lone surrogates, names
        // given twice) is refused here, so the walk below reads only strings that decode.
        var (bytes, problem) = await JsonRequestBody.ReadBytesAsync(request, options.MaxBodyBytes, "Send fewer pairs per request.");
        JsonDocument? document = null;
        if (problem is null)
        {
            problem = bytes!.Length == 0
                ? new BodyProblem(StatusCodes.Status400BadRequest, JsonRequestBody.BadRequestTitle, $"The body is empty. Send {Shape}.")
                : JsonRequestBody.Validate(bytes, out document, Shape);
        }

        if (problem is not null || document is null)
        {
            return (null, Problems.Result(problem!.Status, problem.Title, problem.Detail));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, BadRequest($"The body must be a JSON object, not {Kind(root)}: {Shape}."));
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

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static IResult BadRequest(string detail) => Problems.Result(400, "Bad request", detail);
}
