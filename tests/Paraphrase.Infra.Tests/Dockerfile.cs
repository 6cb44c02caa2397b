using System.Text.Json;

namespace Paraphrase.Infra.Tests;

/// <summary>One instruction of a Dockerfile: its keyword, flags (--from=…) and arguments, continuation lines joined.</summary>
internal sealed record DockerInstruction(string Keyword, IReadOnlyList<string> Flags, string Arguments, int Stage);

/// <summary>A Dockerfile read the way Docker reads one, as far as these tests need: no build is run.</summary>
internal sealed class Dockerfile(IReadOnlyList<DockerInstruction> instructions)
{
    public IReadOnlyList<DockerInstruction> Instructions { get; } = instructions;

    public IEnumerable<DockerInstruction> Named(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public int FinalStage => Instructions.Max(i => i.Stage);

    /// <summary>The exec form of an ENTRYPOINT or CMD: a JSON array of words.</summary>
    public static string[] ExecForm(DockerInstruction instruction) =>
        JsonSerializer.Deserialize<string[]>(instruction.Arguments) ?? throw new FormatException($"{instruction.Keyword} is not in exec form");

    public static Dockerfile Read(string path)
    {
        var instructions = new List<DockerInstruction>();
        int stage = -1;
        string pending = "";
        foreach (string raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            line = pending + line;
            pending = "";
            string[] words = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            string keyword = words[0].ToUpperInvariant();
            string rest = words.Length > 1 ? words[1].Trim() : "";
            var flags = new List<string>();
            while (rest.StartsWith("--", StringComparison.Ordinal))
            {
                string[] split = rest.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                flags.Add(split[0]);
                rest = split.Length > 1 ? split[1].Trim() : "";
            }

            if (keyword == "FROM")
            {
                stage++;
            }

            instructions.Add(new DockerInstruction(keyword, flags, rest, stage));
        }

        return new Dockerfile(instructions);
    }
}
