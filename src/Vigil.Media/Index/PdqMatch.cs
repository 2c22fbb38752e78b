namespace Vigil.Media;

/// <summary>An indexed entry within the search threshold: its id and Hamming distance to the query.</summary>
public readonly record struct PdqMatch(long Id, int Distance);
