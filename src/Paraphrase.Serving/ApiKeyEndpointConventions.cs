using Microsoft.AspNetCore.Builder;

namespace Paraphrase.Serving;

/// <summary>Puts endpoints behind the service's API keys, e.g. <c>app.MapGroup("/api/pipeline").RequireApiKey()</c>.</summary>
public static class ApiKeyEndpointConventions
{
    /// <summary>The authentication scheme that checks the keys.</summary>
    public const string Scheme = "ParaphraseApiKey";

    /// <summary>The authorization policy that requires a valid key (or <c>--no-auth</c>).</summary>
    public const string Policy = "ParaphraseApiKey";

    /// <summary>
    /// Requires a valid API key on these endpoints. Needs <see cref="ServingServiceCollectionExtensions.AddParaphraseServing"/>;
    /// WebApplication adds the authorization middleware by itself once it is registered.
    /// </summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy);
}
