namespace Paraphrase.Infra.Tests;

/// <summary>
/// Enough YAML for azure.yaml: nested mappings of scalars, read into dotted paths (services.worker.host → containerapp).
/// Sequences, anchors and multi-line scalars are not needed there and not supported.
/// </summary>
internal static class SimpleYaml
{
    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var parents = new List<(int Indent, string Key)>();
        foreach (string raw in File.ReadAllLines(path))
        {
            string trimmed = raw.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            int indent = raw.Length - raw.TrimStart(' ').Length;
            int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || trimmed.StartsWith('-'))
            {
                throw new FormatException($"{path}: '{trimmed}' is not a 'key: value' line");
            }

            parents.RemoveAll(p => p.Indent >= indent);
            string key = string.Join('.', parents.Select(p => p.Key).Append(trimmed[..colon].Trim()));
            string value = trimmed[(colon + 1)..].Trim();
            if (value.Length == 0)
            {
                parents.Add((indent, trimmed[..colon].Trim()));
            }
            else
            {
                values[key] = value.Trim('"', '\'');
            }
        }

        return values;
    }
}
