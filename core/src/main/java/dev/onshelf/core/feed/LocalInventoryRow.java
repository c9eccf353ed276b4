package dev.onshelf.core.feed;

/**
 * One row of Google Merchant Center's local inventory: {@code store_code}, {@code id}, {@code availability}
 * ({@code in_stock}, {@code limited_availability}, {@code out_of_stock}), {@code quantity} (null: not sent)
 * and {@code pickup_method} / {@code pickup_sla} (null: not set for the store).
 */
public record LocalInventoryRow(String storeCode, String id, String availability, Long quantity,
                                String pickupMethod, String pickupSla) {
}
