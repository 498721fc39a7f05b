namespace Herald.Core;

/// <summary>
/// Allocation-free foreach over an <see cref="IReadOnlyList{T}"/>: a struct enumerator that indexes,
/// instead of the boxed enumerator foreach gets through the interface.
/// </summary>
public readonly struct FastList<T>(IReadOnlyList<T> list)
{
    public Enumerator GetEnumerator() => new(list);

    public struct Enumerator(IReadOnlyList<T> list)
    {
        private int i = -1;

        public bool MoveNext() => ++i < list.Count;

        public readonly T Current => list[i];
    }
}

public static class FastListExtensions
{
    public static FastList<T> Fast<T>(this IReadOnlyList<T> list) => new(list);
}
