using System.Collections.Frozen;

namespace Paraphrase.Core.Tokenization;

/// <summary>
/// Unicode canonical decomposition (the per-character part of NFD) without ICU.
/// <see cref="string.Normalize()"/> is a no-op under <c>DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1</c>
/// (the setting of chiseled containers), which would silently keep accents, so the table is built in:
/// <see cref="CanonicalDecompositionData"/> is generated from ICU and checked against it by the tests.
/// Hangul syllables decompose algorithmically. Canonical reordering of combining marks is not needed
/// because BERT's accent stripping drops the non-spacing marks that reordering would move.
/// </summary>
internal static class CanonicalDecomposition
{
    private const int HangulBase = 0xAC00, HangulCount = 11172, JamoLBase = 0x1100, JamoVBase = 0x1161, JamoTBase = 0x11A7;
    private const int JamoVCount = 21, JamoTCount = 28;

    private static readonly FrozenDictionary<int, int[]> Table = Build();

    /// <summary>The first code point that has a decomposition; everything below maps to itself.</summary>
    public const int FirstDecomposable = 0xC0;

    /// <summary>Writes the full canonical decomposition of <paramref name="codePoint"/> and returns its length (1 to 4).</summary>
    public static int Decompose(int codePoint, Span<int> destination)
    {
        int s = codePoint - HangulBase;
        if ((uint)s < HangulCount)
        {
            destination[0] = JamoLBase + (s / (JamoVCount * JamoTCount));
            destination[1] = JamoVBase + (s % (JamoVCount * JamoTCount) / JamoTCount);
            int t = s % JamoTCount;
            if (t == 0)
            {
                return 2;
            }

            destination[2] = JamoTBase + t;
            return 3;
        }

        if (codePoint >= FirstDecomposable && Table.TryGetValue(codePoint, out var parts))
        {
            parts.CopyTo(destination);
            return parts.Length;
        }

        destination[0] = codePoint;
        return 1;
    }

    private static FrozenDictionary<int, int[]> Build()
    {
        var data = CanonicalDecompositionData.Entries;
        var table = new Dictionary<int, int[]>();
        for (int i = 0; i < data.Length;)
        {
            int codePoint = data[i], length = data[i + 1];
            table[codePoint] = data.Slice(i + 2, length).ToArray();
            i += 2 + length;
        }

        return table.ToFrozenDictionary();
    }
}
