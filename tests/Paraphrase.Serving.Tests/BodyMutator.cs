using System.Text;

namespace Paraphrase.Serving.Tests;

/// <summary>
/// Spoils a valid body in the ways that break parsers: bits flipped, bytes that are not UTF-8, JSON punctuation and
/// broken escapes inserted, pieces cut out or repeated (truncation, trailing garbage, names twice), values swapped for
/// other JSON types, and deep nesting. Seeded, so a failure names the seed and the case that reproduce it.
/// </summary>
internal sealed class BodyMutator(int seed)
{
    private static readonly byte[][] Interesting =
    [
        .. new[] { "\"", "\\", "{", "}", "[", "]", ",", ":", "\\u", "\\ud800", "\\udfff", "\\u00", "\\x", "null", "true", "1e999", "-", "/*", "\n", "\"a\": 1," }
            .Select(Encoding.UTF8.GetBytes),
        [0xC3], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0xEF, 0xBB, 0xBF], [0x7F],
    ];

    private static readonly string[] Values =
    [
        "null", "true", "false", "0", "-0.0", "1e999", "18446744073709551616", "\"\"", "\"\\ud800\"", "\"\\u0000\"", "{}", "[]", "[[[[[[[[]]]]]]]]",
        "{\"a\": {\"a\": 1, \"a\": 2}}", "\"x\"",
    ];

    private readonly Random _random = new(seed);

    /// <summary>One to three spoilings of <paramref name="body"/>.</summary>
    public byte[] Mutate(byte[] body)
    {
        var bytes = new List<byte>(body);
        for (int i = _random.Next(1, 4); i > 0; i--)
        {
            Spoil(bytes);
        }

        return [.. bytes];
    }

    /// <summary>Mostly JSON, sometimes no type, another type or another charset.</summary>
    public string? ContentType() => _random.Next(10) switch
    {
        0 => null,
        1 => new[] { "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "application/merge-patch+json", "json;;=/" }[_random.Next(5)],
        _ => "application/json",
    };

    private void Spoil(List<byte> bytes)
    {
        int at = _random.Next(bytes.Count + 1);
        switch (_random.Next(9))
        {
            case 0 when bytes.Count > 0:
                bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[Math.Min(at, bytes.Count - 1)] = (byte)_random.Next(256);
                break;
            case 2:
                bytes.InsertRange(at, Interesting[_random.Next(Interesting.Length)]);
                break;
            case 3:
                bytes.RemoveRange(at, Math.Min(_random.Next(1, 8), bytes.Count - at));
                break;
            case 4:
                int length = Math.Min(_random.Next(1, 40), bytes.Count - at);
                bytes.InsertRange(_random.Next(bytes.Count + 1), bytes.GetRange(at, length));
                break;
            case 5:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 6:
                ReplaceValue(bytes);
                break;
            case 7:
                int depth = new[] { 1, 31, 32, 33, 100, 5000 }[_random.Next(6)];
                string open = _random.Next(2) == 0 ? "[" : "{\"a\":", close = open == "[" ? "]" : "}";
                bytes.InsertRange(0, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth))));
                bytes.AddRange(Encoding.UTF8.GetBytes(new string(close[0], depth)));
                break;
            default:
                bytes.AddRange(Interesting[_random.Next(Interesting.Length)]);
                break;
        }
    }

    /// <summary>The value after a random colon, up to the next comma or closing brace, becomes another JSON value.</summary>
    private void ReplaceValue(List<byte> bytes)
    {
        var colons = Enumerable.Range(0, bytes.Count).Where(i => bytes[i] == ':').ToList();
        if (colons.Count == 0)
        {
            return;
        }

        int start = colons[_random.Next(colons.Count)] + 1, end = start;
        while (end < bytes.Count && bytes[end] is not (byte)',' and not (byte)'}')
        {
            end++;
        }

        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, Encoding.UTF8.GetBytes(" " + Values[_random.Next(Values.Length)]));
    }
}
