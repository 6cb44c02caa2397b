using System.Globalization;

namespace Paraphrase.Cli.Settings;

/// <summary>Durations on the command line: 500ms, 10s, 5m, 1h, or hh:mm:ss.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        (string number, double scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1) : text.EndsWith('m') ? (text[..^1], 60) : text.EndsWith('h') ? (text[..^1], 3600) : ("", 0);
        if (scale > 0 && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) && amount >= 0)
        {
            value = TimeSpan.FromSeconds(amount * scale);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    public static TimeSpan Parse(string text, string option) =>
        TryParse(text, out var value) ? value : throw new ArgumentException($"{option} '{text}' is not a duration: use e.g. 500ms, 10s, 5m, 1h or hh:mm:ss.");
}
