using System.Text.Json.Nodes;

namespace Paraphrase.Serving;

/// <summary>
/// Paths and schemas that another part of the host (the pipeline's management API) adds to /openapi.json, so that one
/// document describes every endpoint the host serves. Register it as a singleton.
/// </summary>
/// <param name="Json">An object with "paths" and, optionally, "components": {"schemas"}.</param>
public sealed record OpenApiFragment(string Json)
{
    /// <summary>The service's own document with every fragment's paths and schemas merged in.</summary>
    internal static string Merge(string document, IEnumerable<OpenApiFragment> fragments)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        foreach (var fragment in fragments)
        {
            var part = JsonNode.Parse(fragment.Json)!.AsObject();
            foreach (var (path, item) in part["paths"]?.AsObject() ?? [])
            {
                root["paths"]![path] = item?.DeepClone();
            }

            foreach (var (name, schema) in part["components"]?["schemas"]?.AsObject() ?? [])
            {
                root["components"]!["schemas"]![name] = schema?.DeepClone();
            }
        }

        return root.ToJsonString();
    }
}
