using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Paraphrase.Infra.Tests;

/// <summary>A resource of a compiled template, with the deployment (module) it is declared in.</summary>
internal sealed record ArmResource(JsonObject Node, ArmDeployment Deployment)
{
    public string Type => Node["type"]!.GetValue<string>();

    public JsonObject Properties => Node["properties"]!.AsObject();
}

/// <summary>
/// One template of a compiled main.bicep: the root, or a module's nested deployment. Follows parameter and variable
/// references outwards, so that two values can be compared as what main.bicep passes (Bicep compiles modules with
/// inner expression scope: a module's parameter values are expressions of the template around it).
/// </summary>
internal sealed partial class ArmDeployment(JsonObject template, JsonObject? deployment = null, ArmDeployment? parent = null)
{
    public JsonObject Template { get; } = template;

    public IEnumerable<ArmResource> Resources()
    {
        var resources = Template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject symbolic => symbolic.Select(r => r.Value!.AsObject()),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return new ArmResource(resource, this);
            if (resource["type"]?.GetValue<string>() == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in new ArmDeployment(nested, resource, this).Resources())
                {
                    yield return inner;
                }
            }
        }
    }

    public ArmResource Single(string type)
    {
        var matches = Resources().Where(r => r.Type == type).ToList();
        return matches.Count == 1 ? matches[0] : throw new InvalidOperationException($"expected one {type} in the template, found {matches.Count}");
    }

    /// <summary>
    /// The value behind <c>[parameters('x')]</c> and <c>[variables('x')]</c>, followed out to the outermost template; any
    /// other expression is returned as it is (the same text in the same template means the same value).
    /// </summary>
    public JsonNode? Resolve(JsonNode? value)
    {
        if (value is not JsonValue scalar || !scalar.TryGetValue(out string? text))
        {
            return value;
        }

        if (ParameterReference().Match(text) is { Success: true } parameter)
        {
            string name = parameter.Groups[1].Value;
            if (deployment?["properties"]?["parameters"]?[name] is JsonObject passed)
            {
                return parent!.Resolve(passed["value"]);
            }

            return Template["parameters"]?[name]?["defaultValue"] is { } fallback ? Resolve(fallback) : value;
        }

        if (VariableReference().Match(text) is { Success: true } variable && Template["variables"]?[variable.Groups[1].Value] is { } defined)
        {
            return Resolve(defined);
        }

        return value;
    }

    public string ResolveText(JsonNode? value) => Resolve(value) switch
    {
        JsonValue scalar when scalar.TryGetValue(out string? text) => text,
        var other => other?.ToJsonString() ?? "",
    };

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();
}
