namespace Paraphrase.Onnx;

/// <summary>Symmetric int8 quantization of a [in, out] weight matrix with one scale per output column.</summary>
internal static class Int8Quantizer
{
    public static (sbyte[] Values, float[] Scales) PerColumn(float[] weight, int rows, int columns)
    {
        var scales = ColumnScales(weight, rows, columns);
        var values = new sbyte[weight.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[r * columns + c] = (sbyte)Math.Clamp(MathF.Round(weight[r * columns + c] / scales[c]), -127, 127);
            }
        }

        return (values, scales);
    }

    /// <summary>One scale per output column: its largest |w| maps to 127.</summary>
    public static float[] ColumnScales(float[] weight, int rows, int columns)
    {
        var scales = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            float max = 0;
            for (int r = 0; r < rows; r++)
            {
                max = Math.Max(max, Math.Abs(weight[r * columns + c]));
            }

            scales[c] = max == 0 ? 1 : max / 127f;
        }

        return scales;
    }
}
