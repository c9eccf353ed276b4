package dev.onshelf.simulators.fleet;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Zipf-distributed indices 0..n-1 (exponent s): a few products are bought and looked up far more. */
public final class Zipf {
    private final double[] cdf;

    public Zipf(int n, double s) {
        cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
    }

    public int next(SplittableRandom random) {
        int i = Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }
}
