"""External systems (ERP, WMS, CRM, storefront) behind one SystemAdapter protocol."""
