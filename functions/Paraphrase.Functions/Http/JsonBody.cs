using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Paraphrase.Functions.Http;

/// <summary>Reads a JSON request body as the minimal-API hosts bind it, with malformed JSON answered as a 400 problem, not a 500.</summary>
internal static class JsonBody
{
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Body.CanSeek && request.ContentType is null))
        {
            return (null, null);
        }

        try
        {
            return (await request.ReadFromJsonAsync<T>(request.HttpContext.RequestAborted), null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or System.Text.DecoderFallbackException)
        {
            return (null, TypedResults.Problem($"The body is not the JSON this endpoint takes: {e.Message}", statusCode: 400, title: "Bad request"));
        }
    }
}
