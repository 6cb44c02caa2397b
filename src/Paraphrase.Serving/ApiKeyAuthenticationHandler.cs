using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Paraphrase.Serving;

/// <summary>
/// The API key check (X-API-Key, or Authorization: Bearer) as an ASP.NET Core authentication scheme.
/// </summary>
/// <remarks>
/// A scheme behind an authorization policy rather than a path-matching middleware: each endpoint says it needs a
/// key (<see cref="ApiKeyEndpointConventions.RequireApiKey"/>), so any endpoint group of any host, the pipeline's
/// included, is protected by the same keys without this code knowing its paths; the check runs before model
/// binding, so an unauthenticated request is refused before its body is read; and an endpoint that asks for a key
/// on an app without the authorization middleware fails loudly instead of being served open.
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyVerifier keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.AllowAnonymous)
        {
            return Task.FromResult(Success());
        }

        string? presented = Request.Headers["X-API-Key"].FirstOrDefault();
        string? authorization = Request.Headers.Authorization.FirstOrDefault();
        if (presented is null && authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(keys.Accepts(presented) ? Success() : AuthenticateResult.Fail("The API key is not valid."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.Result(StatusCodes.Status401Unauthorized, "Unauthorized",
            result.None ? "An API key is required: send it in the X-API-Key header or as Authorization: Bearer <key>." : "The API key is not valid.").ExecuteAsync(Context);
    }

    private AuthenticateResult Success() =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(Scheme.Name)), Scheme.Name));
}
