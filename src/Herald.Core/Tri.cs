namespace Herald.Core;

/// <summary>
/// Three-valued (Kleene) truth: a fact about a patient can be true, false, or unknown because
/// the input does not say. Unknown never silently becomes false: it becomes a missing-data request.
/// </summary>
public enum Tri : byte
{
    False = 0,
    Unknown = 1,
    True = 2,
}

public static class TriLogic
{
    public static Tri From(bool value) => value ? Tri.True : Tri.False;

    public static Tri From(bool? value) => value switch
    {
        true => Tri.True,
        false => Tri.False,
        null => Tri.Unknown,
    };

    public static Tri And(Tri a, Tri b) => (Tri)Math.Min((byte)a, (byte)b);

    public static Tri Or(Tri a, Tri b) => (Tri)Math.Max((byte)a, (byte)b);

    public static Tri Not(Tri a) => (Tri)(2 - (byte)a);

    public static bool IsTrue(this Tri t) => t == Tri.True;
}
