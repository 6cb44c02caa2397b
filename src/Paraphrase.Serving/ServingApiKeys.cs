using Microsoft.Extensions.Configuration;

namespace Paraphrase.Serving;

/// <summary>
/// Where the service's API keys live: configuration only, under <c>Paraphrase:ApiKeys</c> (appsettings.json, or
/// <c>Paraphrase__ApiKeys__0=…</c> in the environment). A host that takes keys another way (the command line's
/// <c>--api-key</c>, <c>PARAPHRASE_API_KEYS</c>) adds them to its configuration with <see cref="AsConfiguration"/>.
/// </summary>
public static class ServingApiKeys
{
    public const string Section = "Paraphrase:ApiKeys";

    /// <summary>The keys in <paramref name="configuration"/>, blank ones and repeats left out.</summary>
    public static IReadOnlyList<string> Read(IConfiguration? configuration) =>
        [.. configuration?.GetSection(Section).GetChildren().Select(c => c.Value).OfType<string>().Where(k => k.Length > 0).Distinct() ?? []];

    /// <summary>
    /// <paramref name="keys"/> as configuration entries, for an in-memory configuration source; named apart from the
    /// numbered entries of other sources (<c>Paraphrase__ApiKeys__0</c>), which they add to rather than replace.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsConfiguration(IEnumerable<string> keys) =>
        keys.Select((key, i) => new KeyValuePair<string, string?>($"{Section}:host{i}", key));
}
