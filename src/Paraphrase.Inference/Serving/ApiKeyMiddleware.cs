using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Paraphrase.Inference.Serving;

/// <summary>
/// Requires an API key (X-API-Key, or Authorization: Bearer) on every request but the health check; a request
/// without a valid key gets 401 before any work is done.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ServingOptions options)
{
    private readonly byte[][] _keys = [.. options.ApiKeys.Select(Encoding.UTF8.GetBytes)];

    public async Task InvokeAsync(HttpContext context)
    {
        if (options.AllowAnonymous || context.Request.Path.StartsWithSegments("/api/health"))
        {
            await next(context);
            return;
        }

        string? presented = context.Request.Headers["X-API-Key"].FirstOrDefault();
        string? authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (presented is null && authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        if (presented is not null && _keys.Any(k => CryptographicOperations.FixedTimeEquals(k, Encoding.UTF8.GetBytes(presented))))
        {
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized",
            presented is null ? "An API key is required: send it in the X-API-Key header or as Authorization: Bearer <key>." : "The API key is not valid.");
    }
}
