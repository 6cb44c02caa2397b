namespace Paraphrase.Training.Modeling;

/// <summary>Row-major float matrices as ONNX and safetensors store them.</summary>
public static class RowMajor
{
    /// <summary>The transpose of a [rows, columns] matrix, as a [columns, rows] one.</summary>
    public static float[] Transpose(float[] data, int rows, int columns)
    {
        var result = new float[data.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[c * rows + r] = data[r * columns + c];
            }
        }

        return result;
    }
}
